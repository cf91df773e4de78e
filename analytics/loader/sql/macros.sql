-- Parsers for the value forms of data-contract.md, as DuckDB macros.
-- Every parser takes a cell trimmed by clean_text (NULL when blank) and returns NULL
-- when the text is none of the accepted forms; the upload rules (rule_*.sql) turn "not
-- blank but NULL" into a quarantined row with a reason.  Common forms take a cheap
-- first branch; the rest are tried only for the cells it refused (CASE and COALESCE
-- evaluate lazily).  Runs only in the loader's in-process DuckDB, never in the warehouse.

-- Trimmed text, NULL when blank (spaces, tabs, full-width and no-break spaces).  Most cells
-- need no trimming: the cheap edge test keeps the slow trim for the few that do.  Every
-- function call costs about as much as the test it makes, so the leading character is
-- tested by byte comparisons (x in [' ', '!'): x starts with a space; likewise tab, LF,
-- CR, full-width and no-break space) and only the trailing one by function calls.
CREATE OR REPLACE MACRO clean_text(x) AS CASE
    WHEN x = '' THEN NULL
    WHEN (x >= ' ' AND x < '!') OR (x >= chr(9) AND x < chr(11)) OR (x >= chr(13) AND x < chr(14))
        OR (x >= '　' AND x < '、') OR (x >= chr(160) AND x < chr(161))
        OR ends_with(x, ' ') OR ends_with(x, '　') OR ends_with(x, chr(9)) OR ends_with(x, chr(160))
        THEN nullif(trim(x, ' ' || chr(9) || chr(10) || chr(13) || chr(12288) || chr(160)), '')
    ELSE x
END;

-- Dates and times: 2024-03-05, 2024/3/5, 20240305, 2024年3月5日, 2024-03-05 14:22:01,
-- Excel serial numbers (45356 = 2024-03-05).  Years outside 1900..2100 are refused.
CREATE OR REPLACE MACRO excel_serial(x) AS
    TIMESTAMP '1899-12-30' + to_microseconds(CAST(round(CAST(x AS DOUBLE) * 86400000000) AS BIGINT));

-- DuckDB's own cast takes 2024-03-05, 2024/3/5 and 2024-03-05 14:22:01 fast; the other
-- forms are tried only for the cells it refused (COALESCE evaluates lazily).
CREATE OR REPLACE MACRO other_timestamp(x) AS CASE
    WHEN strlen(x) = 8 AND NOT contains(x, '.') THEN try_strptime(x, '%Y%m%d')
    WHEN contains(x, '年') THEN try_cast(replace(replace(replace(x, '年', '-'), '月', '-'), '日', '') AS TIMESTAMP)
    WHEN try_cast(x AS DOUBLE) BETWEEN 10000 AND 99999.999999 THEN excel_serial(x)
    WHEN contains(x, '.') THEN try_cast(replace(x, '.', '-') AS TIMESTAMP)
END;
-- A failed cast costs ten times a successful one, so each form goes first to the parser
-- that takes it: text with a separator DuckDB's cast knows (- / : space) to the cast,
-- the rest (20240305, 2024年3月5日, 45356, 2024.03.05) to the other forms, which the
-- cast never takes.
CREATE OR REPLACE MACRO any_timestamp(x) AS CASE
    WHEN x IS NULL THEN NULL
    WHEN ascii(x) NOT BETWEEN 48 AND 57 THEN NULL
    WHEN contains(x, '-') OR contains(x, '/') OR contains(x, ':') OR contains(x, ' ')
        THEN coalesce(try_cast(x AS TIMESTAMP), other_timestamp(x))
    ELSE coalesce(other_timestamp(x), try_cast(x AS TIMESTAMP))
END;

CREATE OR REPLACE MACRO sane_timestamp(ts) AS CASE
    WHEN ts BETWEEN TIMESTAMP '1900-01-01' AND TIMESTAMP '2100-12-31 23:59:59.999999' THEN ts
END;
CREATE OR REPLACE MACRO parse_datetime(x) AS CAST(sane_timestamp(any_timestamp(x)) AS TIMESTAMP);
CREATE OR REPLACE MACRO parse_date(x) AS CAST(sane_timestamp(any_timestamp(x)) AS DATE);

-- Periods (帐期): 202403, 2024-03, 2024/03, 2024年3月 -> 202403.
CREATE OR REPLACE MACRO period_parts(x) AS
    regexp_extract(x, '^([0-9]{4})\s*[-/.年]?\s*([0-9]{1,2})\s*月?(\.0+)?$', ['y', 'm']);
CREATE OR REPLACE MACRO parse_period(x) AS CASE
    WHEN try_cast(period_parts(x).m AS INTEGER) BETWEEN 1 AND 12
        THEN CAST(period_parts(x).y AS INTEGER) * 100 + CAST(period_parts(x).m AS INTEGER)
END;

-- Amounts: 1234.5, 1,234.50, ¥1,234, 12.5万, -300.00 -> DECIMAL(18,2) CNY.
-- scale is 10000 for a column headed in 万元; a cell ending in 万 is 万 whatever the header.
CREATE OR REPLACE MACRO amount_text(x) AS
    replace(replace(replace(replace(replace(replace(x, ',', ''), '，', ''), '¥', ''), '￥', ''), '元', ''), ' ', '');
CREATE OR REPLACE MACRO amount_of(t, scale) AS try(CASE
    WHEN ends_with(t, '万') THEN try_cast(round(try_cast(rtrim(t, '万') AS DECIMAL(38, 10)) * 10000, 2) AS DECIMAL(18, 2))
    ELSE try_cast(round(try_cast(t AS DECIMAL(38, 10)) * scale, 2) AS DECIMAL(18, 2))
END);
-- The usual forms (1234.5, 1,234.50) take the cheap first branch: one cast of the text
-- straight to the decimals the column keeps (6 in 万元, since 0.000001 万 is 0.01 元),
-- a single rounding; wide decimals cost more than the parsing.  Anything it cannot take
-- (other signs, 万, out of its range) goes through amount_of, and so do exponents
-- (1.2E+07), which DuckDB's narrow casts may truncate where the wide one rounds.
-- try(): an overflow is no amount, never an error that stops the file.
CREATE OR REPLACE MACRO amount_plain(x, scale) AS CASE
    WHEN contains(x, 'e') OR contains(x, 'E') THEN NULL
    WHEN scale = 1 THEN try_cast(replace(x, ',', '') AS DECIMAL(18, 2))
    ELSE try(CAST(try_cast(replace(x, ',', '') AS DECIMAL(18, 6)) * scale AS DECIMAL(18, 2)))
END;
CREATE OR REPLACE MACRO parse_amount(x, scale) AS CASE
    WHEN x IS NULL THEN NULL
    ELSE coalesce(amount_plain(x, scale), amount_of(amount_text(x), scale))
END;

-- Whole numbers (user counts, term in months); Excel writes 12 as 12.0.
CREATE OR REPLACE MACRO parse_int(x) AS CASE
    WHEN regexp_full_match(replace(x, ',', ''), '[-+]?[0-9]{1,9}(\.0*)?')
        THEN CAST(CAST(replace(x, ',', '') AS DECIMAL(18, 4)) AS INTEGER)
END;
CREATE OR REPLACE MACRO parse_year(x) AS CASE
    WHEN regexp_full_match(x, '(19|20)[0-9]{2}(\.0+|年)?') THEN CAST(left(x, 4) AS INTEGER)
END;
CREATE OR REPLACE MACRO parse_month(x) AS CASE
    WHEN regexp_full_match(x, '0?([1-9]|1[0-2])(\.0+|月)?')
        THEN CAST(regexp_extract(x, '^0?([0-9]+)', 1) AS SMALLINT)
END;

-- Flags: 是/否, Y/N, 1/0, true/false; an empty cell takes the field's default.
CREATE OR REPLACE MACRO parse_flag(x) AS CASE
    WHEN x IN ('是', 'Y', '1', 'true', 'TRUE', 'True') THEN TRUE
    WHEN x IN ('否', 'N', '0', 'false', 'FALSE', 'False') THEN FALSE
    WHEN lower(x) IN ('y', 'yes', '1.0', 't', '√', '✓', '有') THEN TRUE
    WHEN lower(x) IN ('n', 'no', '0.0', 'f', '×', '无') THEN FALSE
END;

-- Codes: Chinese as the exports write them, or the English code itself.
CREATE OR REPLACE MACRO code_key(x) AS lower(regexp_replace(x, '[\s　_\-]', '', 'g'));

-- Stages: 3, 阶段3, SS03, or the stage's Chinese name (domain.md) all mean 3.
CREATE OR REPLACE MACRO stage_key(x) AS upper(regexp_replace(x, '[\s，,、:：．()（）\-]', '', 'g'));
CREATE OR REPLACE MACRO stage_name(k) AS CASE
    WHEN k IN ('制定客户计划', '客户计划') THEN 0
    WHEN k IN ('了解客户环境挖掘商机', '了解客户环境', '挖掘商机', '发现') THEN 1
    WHEN k IN ('确认客户需求', '确立') THEN 2
    WHEN k IN ('回应竞争确认方案', '回应竞争', '确认方案') THEN 3
    WHEN k IN ('确认合同', '赢') THEN 4
    WHEN k IN ('配合实施确保客户满意度', '配合实施', '确保客户满意度') THEN 5
END;
CREATE OR REPLACE MACRO stage_number(k) AS CASE
    WHEN try_cast(k AS DOUBLE) IN (0, 1, 2, 3, 4, 5) THEN CAST(try_cast(k AS DOUBLE) AS INTEGER)
END;
CREATE OR REPLACE MACRO parse_stage(x) AS CAST(CASE
    WHEN x IN ('0', '1', '2', '3', '4', '5') THEN CAST(x AS INTEGER)
    WHEN x IN ('阶段0', '阶段1', '阶段2', '阶段3', '阶段4', '阶段5') THEN CAST(right(x, 1) AS INTEGER)
    WHEN starts_with(x, '-') THEN NULL
    ELSE coalesce(
        stage_number(replace(replace(replace(replace(upper(x), 'STAGE', ''), 'SS', ''), '阶段', ''), ' ', '')),
        stage_name(stage_key(x)),
        CASE WHEN regexp_full_match(stage_key(x), '(阶段|第|SS|S)?0*[0-5](阶段)?')
            THEN CAST(regexp_extract(stage_key(x), '^(阶段|第|SS|S)?0*([0-5])', 2) AS INTEGER) END,
        CASE WHEN regexp_full_match(stage_key(x), '(阶段|SS|S)?0*[0-5]\.?\D+')
            AND stage_name(regexp_replace(stage_key(x), '^(阶段|SS|S)?0*[0-5]\.?', '')) IS NOT NULL
            THEN CAST(regexp_extract(stage_key(x), '^(阶段|SS|S)?0*([0-5])', 2) AS INTEGER) END)
END AS SMALLINT);

CREATE OR REPLACE MACRO parse_status(x) AS CASE
    WHEN x = '跟进中' THEN 'open'
    WHEN x = '赢单' THEN 'won'
    WHEN x = '丢单' THEN 'lost'
    WHEN x = '中止' THEN 'terminated'
    WHEN code_key(x) IN ('跟进中', '进行中', '在途', '跟进', 'open') THEN 'open'
    WHEN code_key(x) IN ('赢单', '已赢单', '成功', 'won', 'win') THEN 'won'
    WHEN code_key(x) IN ('丢单', '已丢单', '失败', 'lost', 'lose') THEN 'lost'
    WHEN code_key(x) IN ('中止', '终止', '已中止', '已终止', 'terminated') THEN 'terminated'
END;
-- A stage change's new stage: a stage 0-5 (status open) or a terminal status.
CREATE OR REPLACE MACRO parse_to_status(x) AS CASE
    WHEN parse_stage(x) IS NOT NULL THEN 'open'
    WHEN parse_status(x) <> 'open' THEN parse_status(x)
END;

CREATE OR REPLACE MACRO parse_business_type(x) AS CASE
    WHEN x = '基础业务' THEN 'basic'
    WHEN x = '转型业务' THEN 'transformation'
    WHEN code_key(x) IN ('基础业务', '基础', 'basic') THEN 'basic'
    WHEN code_key(x) IN ('转型业务', '转型', 'ict', 'ict转型', '创新业务', 'transformation') THEN 'transformation'
END;
CREATE OR REPLACE MACRO parse_origin(x) AS CASE
    WHEN x = '挖掘' THEN 'mined'
    WHEN x = '派单' THEN 'dispatched'
    WHEN code_key(x) IN ('挖掘', '自主挖掘', '挖掘商机', 'mined') THEN 'mined'
    WHEN code_key(x) IN ('派单', '派单商机', 'dispatched') THEN 'dispatched'
END;
CREATE OR REPLACE MACRO parse_activity_type(x) AS CASE
    WHEN x = '拜访' THEN 'visit'
    WHEN x = '电话' THEN 'call'
    WHEN code_key(x) IN ('拜访', '客户拜访', 'visit') THEN 'visit'
    WHEN code_key(x) IN ('电话', '电话沟通', 'call') THEN 'call'
    WHEN code_key(x) IN ('方案', '方案提交', 'proposal') THEN 'proposal'
    WHEN code_key(x) IN ('会议', 'meeting') THEN 'meeting'
    WHEN code_key(x) IN ('高层拜访', 'seniorvisit') THEN 'senior_visit'
    WHEN code_key(x) IN ('方案论证会', '方案论证', 'solutionreview') THEN 'solution_review'
END;
CREATE OR REPLACE MACRO parse_support_type(x) AS CASE
    WHEN code_key(x) IN ('技术', '技术支撑', 'technical') THEN 'technical'
    WHEN code_key(x) IN ('资源', '资源支撑', 'resource') THEN 'resource'
    WHEN code_key(x) IN ('业务', '业务支撑', 'business') THEN 'business'
END;
CREATE OR REPLACE MACRO parse_role(x) AS CASE
    WHEN x = '客户经理' THEN 'account_manager'
    WHEN code_key(x) IN ('客户经理', 'accountmanager') THEN 'account_manager'
    WHEN code_key(x) IN ('团队经理', 'teammanager') THEN 'team_manager'
    WHEN code_key(x) IN ('行业经理', 'industrymanager') THEN 'industry_manager'
    WHEN code_key(x) IN ('分局局长', '局长', '区局局长', 'branchhead') THEN 'branch_head'
    WHEN code_key(x) IN ('营销总监', '大客户部主任', 'director') THEN 'director'
    WHEN code_key(x) IN ('分析员', 'analyst') THEN 'analyst'
END;
