"""What the analyst handed over, as a list of files on disk: zips opened, limits checked.

A zip is a batch of its members; a directory (command line) is a batch of its
files.  Uploaded bytes are written to the batch's work folder first, so every
later step streams from disk whatever the file's size.  Files named README are
notes, not data, and are skipped inside zips and folders.

A zip's headers are claims, not facts: a member declared small can inflate to
gigabytes (a zip bomb), declare a size it does not have, fail its CRC, be
encrypted or use a compression this loader does not read.  So members are
inflated in bounded reads and counted as they arrive: each must stay under
``max_upload_mb``, all of them together under ``max_unzipped_mb``, within
``max_zip_ratio`` of their compressed size, and there may be at most
``max_zip_members``.  An .xlsx workbook is a zip too, and its parts pass the same
checks (inflated to nothing) before the spreadsheet reader sees them.  Whatever
fails is a refusal naming the member, never an exception.
"""

from __future__ import annotations

import copy
import hashlib
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from analytics.loader.messages import say

DATA_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")
ACCEPTED = (*DATA_SUFFIXES, ".zip")
CHUNK = 1 << 20  # bytes inflated per read: what one member can cost in memory at a time
RATIO_GRACE = 1 << 20  # the compression ratio is judged only past the first MB of a member
METHODS = {zipfile.ZIP_STORED: "store", zipfile.ZIP_DEFLATED: "deflate"}
ENCRYPTED = 0x1  # general-purpose flag bit 0
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)


@dataclass(frozen=True)
class Input:
    """One thing the analyst chose: a path (command line) or uploaded bytes (page)."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    @classmethod
    def from_path(cls, path: Path) -> Input:
        return cls(Path(path).name, path=Path(path))


@dataclass(frozen=True)
class Limits:
    """What one batch may cost on disk: per file, per zip, per member, and the inflation ratio."""

    max_bytes: int  # each file, and each member once inflated (max_upload_mb)
    max_unzipped: int  # all members of one zip (or parts of one workbook) together
    max_members: int
    max_ratio: float

    @classmethod
    def from_settings(cls, settings) -> Limits:
        return cls(
            int(settings.max_upload_mb) << 20,
            int(settings.max_unzipped_mb) << 20,
            int(settings.max_zip_members),
            float(settings.max_zip_ratio),
        )


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


class Unsafe(Exception):
    """A zip member that must not be (or could not be) inflated; the message says why.

    ``spent``: the bytes inflated before it was stopped, counted against the zip's total.
    """

    def __init__(self, message: str, spent: int = 0):
        super().__init__(message)
        self.spent = spent


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _is_note(name: str) -> bool:
    base = PurePosixPath(name).name
    return base.lower().startswith("readme") or base.startswith(".") or "__MACOSX" in name


def _mb(size: int) -> str:
    return f"{size / 2**20:,.1f} MB"


def _source(name: str, path: Path, limits: Limits) -> Source:
    size, max_bytes = path.stat().st_size, limits.max_bytes
    source = Source(name, path, size, None if size <= max_bytes else "")
    if source.suffix not in DATA_SUFFIXES and not (source.suffix == ".zip" and size > max_bytes):
        source.refusal = _unsupported(source.suffix, name)
    elif size > max_bytes:
        source.refusal = say("refused_too_large", size=_mb(size), limit=f"{max_bytes / 2**20:,.0f}")
    elif size == 0:
        source.refusal = say("refused_empty")
    elif source.suffix == ".xlsx":
        source.refusal = check_workbook(path, limits)
    return source


def _unsupported(suffix: str, name: str) -> str:
    return say("refused_unsupported", suffix=suffix or name, accepted="、".join(ACCEPTED))


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


def _open_zip(path: Path) -> zipfile.ZipFile | str:
    """The archive, or why it cannot be opened (any damage to its directory)."""
    try:
        return zipfile.ZipFile(path)
    except _BROKEN as error:
        return say("zip_invalid", error=error)


def _too_many(count: int, limits: Limits) -> str | None:
    if count > limits.max_members:
        return say("zip_too_many", count=count, limit=limits.max_members)
    return None


def inflate(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, sink: BinaryIO | None, limits: Limits, budget: int
) -> int:
    """Inflate one member into ``sink`` (None: only check it) in bounded reads; bytes written.

    Raises :class:`Unsafe` as soon as the member is encrypted, uses another
    compression, outgrows ``max_bytes`` or ``budget`` (what is left of the zip's
    total), inflates beyond ``max_ratio``, or turns out not to be what its header says.
    """
    if info.flag_bits & ENCRYPTED:
        raise Unsafe(say("zip_encrypted"))
    if info.compress_type not in METHODS:
        method = getattr(zipfile, "compressor_names", {}).get(info.compress_type, "?")  # not in the stubs
        raise Unsafe(say("zip_method", number=info.compress_type, method=method))
    # The compressed size is a claim too: never more than the archive itself.
    compressed = min(info.compress_size, Path(archive.filename or "").stat().st_size)
    ratio_cap = max(limits.max_ratio * max(compressed, 1), RATIO_GRACE)
    written = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                written += len(chunk)
                _check_growth(written, limits, budget, ratio_cap)
                if sink is not None:
                    sink.write(chunk)
    except Unsafe as why:
        raise Unsafe(str(why), written) from None
    except _BROKEN as error:
        raise Unsafe(_damaged(archive, info, error, limits.max_bytes), written) from error
    if written != info.file_size:  # zipfile stops at the declared size, but not short of it
        raise Unsafe(_lying(info.file_size, written), written)
    return written


def _check_growth(written: int, limits: Limits, budget: int, ratio_cap: float) -> None:
    if written > limits.max_bytes:
        raise Unsafe(say("zip_member_too_large", limit=f"{limits.max_bytes / 2**20:,.0f}"))
    if written > budget:
        raise Unsafe(say("zip_total_too_large", limit=f"{limits.max_unzipped / 2**20:,.0f}"))
    if written > ratio_cap:
        raise Unsafe(say("zip_ratio", ratio=f"{limits.max_ratio:,.0f}"))


def _lying(declared: int, actual: int | None) -> str:
    found = say("zip_longer") if actual is None else say("zip_inflated_to", actual=actual)
    return say("zip_lying", declared=declared, found=found)


def _damaged(archive: zipfile.ZipFile, info: zipfile.ZipInfo, error: Exception, max_bytes: int) -> str:
    """Why a member failed to inflate, in words: a size header that lies, a bad CRC, or other damage.

    zipfile stops at the declared size and then reports a CRC mismatch, so a member
    whose header understates its size looks like a bad CRC; inflating it again
    with the size claim lifted (bounded as ever) tells the two apart.
    """
    if "CRC" not in str(error):
        return say("zip_damaged", error=error)
    found = _inflated_size(archive, info, min(max(info.file_size, RATIO_GRACE), max_bytes))
    if found != info.file_size:
        return _lying(info.file_size, found if found <= info.file_size else None)
    return say("zip_crc")


def _inflated_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> int:
    """What the member really inflates to, counted up to just past ``cap``, whatever its header says."""
    probe = copy.copy(info)
    probe.file_size, found = cap + 1, 0
    del probe.CRC  # zipfile checks no CRC it is not given: only the count matters here
    try:
        with archive.open(probe) as stream:
            while found <= cap and (chunk := stream.read(CHUNK)):
                found += len(chunk)
    except _BROKEN:
        pass
    return found


def check_workbook(path: Path, limits: Limits) -> str | None:
    """Why an .xlsx (a zip of XML parts) must not reach the spreadsheet reader, or None.

    Each part is inflated to nothing under the same limits as a zip's members; a
    file that is not a zip at all is left to the reader, which says what it is.
    """
    if not zipfile.is_zipfile(path):
        return None
    archive = _open_zip(path)
    if isinstance(archive, str):
        return say("refused_spreadsheet", error=archive)
    with archive:
        parts = [i for i in archive.infolist() if not i.is_dir()]
        if refusal := _too_many(len(parts), limits):
            return say("refused_spreadsheet", error=refusal)
        part_limits = Limits(limits.max_unzipped, limits.max_unzipped, limits.max_members, limits.max_ratio)
        budget = limits.max_unzipped
        for info in parts:
            try:
                budget -= inflate(archive, info, None, part_limits, budget)
            except Unsafe as why:
                return say("refused_spreadsheet_part", part=info.filename, why=why)
    return None


def _unzip(name: str, path: Path, workdir: Path, limits: Limits) -> list[Source]:
    archive = _open_zip(path)
    if isinstance(archive, str):
        return [Source(name, path, path.stat().st_size, sha256_of(path), archive)]
    with archive:
        members = [i for i in archive.infolist() if not i.is_dir() and not _is_note(_member_name(i))]
        if not members:
            return [Source(name, path, path.stat().st_size, sha256_of(path), say("refused_zip_no_data"))]
        if refusal := _too_many(len(members), limits):
            return [Source(name, path, path.stat().st_size, sha256_of(path), refusal)]
        folder = workdir / f"zip{len(list(workdir.glob('zip*')))}"
        folder.mkdir()
        sources, budget = [], limits.max_unzipped
        for index, info in enumerate(members):
            shown = f"{name}/{_member_name(info)}"
            source, spent = _extract(archive, info, shown, folder / f"m{index}", limits, budget)
            sources.append(source)
            budget -= spent
            if budget < 0:
                break  # the zip's total is spent: the rest is not inflated at all
    return sources


def _extract(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, stem: Path, limits: Limits, budget: int
) -> tuple[Source, int]:
    """One member on disk as a Source (or refused before or while inflating), and the bytes it took."""
    suffix = PurePosixPath(shown).suffix.lower()
    if suffix == ".zip":
        return Source(shown, stem, info.file_size, "", say("refused_nested_zip")), 0
    if suffix not in DATA_SUFFIXES:
        return Source(shown, stem, info.file_size, "", _unsupported(suffix, shown)), 0
    if info.file_size > limits.max_bytes:
        return Source(shown, stem, info.file_size, "", say("zip_member_over_limit")), 0
    target = stem.with_suffix(suffix)
    try:
        with open(target, "wb") as sink:
            spent = inflate(archive, info, sink, limits, budget)
    except Unsafe as why:
        target.unlink(missing_ok=True)
        refusal = say("zip_member_refused", member=PurePosixPath(shown).name, why=why)
        return Source(shown, target, why.spent, "", refusal), why.spent
    return _source(shown, target, limits), spent


def expand(inputs: list[Input], workdir: Path, limits: Limits) -> list[Source]:
    """Every data file the inputs hold, each with a refusal when it cannot be read."""
    sources: list[Source] = []
    for index, item in enumerate(inputs):
        path = item.path
        if item.data is not None:
            path = workdir / f"upload{index}{PurePosixPath(item.name).suffix.lower()}"
            path.write_bytes(item.data)
        if path is None or not path.exists():
            sources.append(Source(item.name, Path(item.name), 0, "", say("refused_missing_file")))
        elif path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and not _is_note(p.name))
            sources.extend(expand([Input(f"{item.name}/{p.name}", path=p) for p in files], workdir, limits))
        elif PurePosixPath(item.name).suffix.lower() == ".zip":
            if path.stat().st_size > limits.max_bytes:
                sources.append(_source(item.name, path, limits))
            else:
                sources.extend(_unzip(item.name, path, workdir, limits))
        else:
            sources.append(_source(item.name, path, limits))
    return sources
