"""What the analyst handed over, as a list of files on disk: zips opened, limits checked.

A zip is a batch of its members; a directory (command line) is a batch of its
files.  Uploaded bytes are written to the batch's work folder first, so every
later step streams from disk whatever the file's size.  Files named README are
notes, not data, and are skipped inside zips and folders.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

DATA_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")
ACCEPTED = (*DATA_SUFFIXES, ".zip")


@dataclass(frozen=True)
class Input:
    """One thing the analyst chose: a path (command line) or uploaded bytes (page)."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    @classmethod
    def from_path(cls, path: Path) -> Input:
        return cls(Path(path).name, path=Path(path))


@dataclass
class Source:
    """One data file of the batch, on local disk.

    Its SHA-256 is computed when first asked for, unless decoding (which reads
    every byte anyway, decode.py) has filled ``digest`` on the way.
    """

    name: str  # as shown: "batch.zip/商机清单.csv"
    path: Path
    size: int
    digest: str | None = None  # SHA-256 hex; "" for a file refused before reading
    refusal: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        if self.digest is None:
            self.digest = sha256_of(self.path)
        return self.digest

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _is_note(name: str) -> bool:
    base = PurePosixPath(name).name
    return base.lower().startswith("readme") or base.startswith(".") or "__MACOSX" in name


def _source(name: str, path: Path, max_bytes: int) -> Source:
    size = path.stat().st_size
    source = Source(name, path, size, None if size <= max_bytes else "")
    if source.suffix not in DATA_SUFFIXES and not (source.suffix == ".zip" and size > max_bytes):
        source.refusal = f"不支持的文件类型 '{source.suffix or name}'（可用：{'、'.join(ACCEPTED)}）"
    elif size > max_bytes:
        source.refusal = (
            f"文件大小 {size / 2**20:,.1f} MB，超过上限 {max_bytes / 2**20:,.0f} MB（设置 max_upload_mb）"
        )
    elif size == 0:
        source.refusal = "文件为空"
    return source


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zip member names from Chinese Windows are GBK without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _unzip(name: str, path: Path, workdir: Path, max_bytes: int) -> list[Source]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        return [Source(name, path, path.stat().st_size, sha256_of(path), "不是有效的 ZIP 文件")]
    sources = []
    with archive:
        members = [i for i in archive.infolist() if not i.is_dir() and not _is_note(_member_name(i))]
        if not members:
            return [Source(name, path, path.stat().st_size, sha256_of(path), "ZIP 中没有数据文件")]
        folder = workdir / f"zip{len(list(workdir.glob('zip*')))}"
        folder.mkdir()
        for index, info in enumerate(members):
            shown = f"{name}/{_member_name(info)}"
            if info.file_size > max_bytes:
                sources.append(
                    Source(shown, path, info.file_size, "", "解压后超过上限（设置 max_upload_mb）")
                )
                continue
            target = folder / f"m{index}{PurePosixPath(_member_name(info)).suffix.lower()}"
            with archive.open(info) as src, open(target, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
            source = _source(shown, target, max_bytes)
            if source.suffix == ".zip":
                source.refusal = "ZIP 中不能再套 ZIP"
            sources.append(source)
    return sources


def expand(inputs: list[Input], workdir: Path, max_bytes: int) -> list[Source]:
    """Every data file the inputs hold, each with a refusal when it cannot be read."""
    sources: list[Source] = []
    for index, item in enumerate(inputs):
        path = item.path
        if item.data is not None:
            path = workdir / f"upload{index}{PurePosixPath(item.name).suffix.lower()}"
            path.write_bytes(item.data)
        if path is None or not path.exists():
            sources.append(Source(item.name, Path(item.name), 0, "", "文件不存在"))
        elif path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and not _is_note(p.name))
            sources.extend(
                expand([Input(f"{item.name}/{p.name}", path=p) for p in files], workdir, max_bytes)
            )
        elif PurePosixPath(item.name).suffix.lower() == ".zip":
            if path.stat().st_size > max_bytes:
                sources.append(_source(item.name, path, max_bytes))
            else:
                sources.extend(_unzip(item.name, path, workdir, max_bytes))
        else:
            sources.append(_source(item.name, path, max_bytes))
    return sources
