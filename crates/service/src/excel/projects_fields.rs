//! The columns of a project ledger: the Chinese headers (and their synonyms) of every
//! [`ProjectDraft`](districtops_domain::projects::ProjectDraft) field, and the unit a header
//! declares ("总投资（亿元）", "建筑面积(万平方米)", "占地(亩)").

use districtops_domain::cells::normalize_text;
use districtops_domain::money::MoneyUnit;

/// A column of the ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// 序号: known so it is not reported as unknown, and not imported.
    Serial,
    Code,
    Name,
    Platform,
    Kind,
    Stage,
    Department,
    Leader,
    TotalInvestment,
    CompletedInvestment,
    FloorArea,
    LandArea,
    Address,
    Longitude,
    Latitude,
    SigningPlanned,
    SigningActual,
    StartPlanned,
    StartActual,
    StructurePlanned,
    StructureActual,
    CompletionPlanned,
    CompletionActual,
    OperationPlanned,
    OperationActual,
    /// 状态 (the status light): computed by districtops, so known and not imported.
    Status,
    Notes,
    /// 示例: whether the row's figures are invented (demo and training data); blank is no.
    Illustrative,
}

use Field::*;

/// Header names, after [`header_key`], for each field. The first is what the export writes.
const SYNONYMS: &[(Field, &[&str])] = &[
    (Serial, &["序号", "编号序号", "排序"]),
    (Code, &["项目编号", "编号", "项目代码", "代码", "项目编码"]),
    (Name, &["项目名称", "名称", "项目"]),
    (
        Platform,
        &["所属平台", "平台", "功能平台", "所在平台", "片区"],
    ),
    (Kind, &["项目类型", "类型", "类别", "项目类别", "项目分类"]),
    (
        Stage,
        &[
            "项目阶段",
            "阶段",
            "进展阶段",
            "建设阶段",
            "当前阶段",
            "项目进度阶段",
        ],
    ),
    (
        Department,
        &["责任单位", "责任部门", "牵头单位", "责任主体", "牵头部门"],
    ),
    (
        Leader,
        &[
            "责任领导",
            "分包领导",
            "包挂领导",
            "包保领导",
            "分管领导",
            "联系领导",
        ],
    ),
    (
        TotalInvestment,
        &[
            "总投资",
            "计划总投资",
            "总投资额",
            "投资总额",
            "投资总投资",
            "投资总",
        ],
    ),
    (
        CompletedInvestment,
        &[
            "已完成投资",
            "累计完成投资",
            "完成投资",
            "已完成",
            "投资已完成",
            "投资累计完成",
            "累计完成",
            "已完成投资额",
        ],
    ),
    (FloorArea, &["建筑面积", "总建筑面积", "规划建筑面积"]),
    (
        LandArea,
        &["占地面积", "用地面积", "占地", "用地", "占地规模"],
    ),
    (
        Address,
        &[
            "建设地点",
            "地址",
            "位置",
            "项目地址",
            "项目位置",
            "建设地址",
        ],
    ),
    (Longitude, &["经度"]),
    (Latitude, &["纬度"]),
    (SigningPlanned, &["计划签约", "签约计划"]),
    (SigningActual, &["实际签约", "签约实际", "签约"]),
    (StartPlanned, &["计划开工", "开工计划"]),
    (StartActual, &["实际开工", "开工实际", "开工"]),
    (StructurePlanned, &["计划主体完工", "主体完工计划"]),
    (
        StructureActual,
        &["实际主体完工", "主体完工实际", "主体完工"],
    ),
    (CompletionPlanned, &["计划竣工", "竣工计划"]),
    (CompletionActual, &["实际竣工", "竣工实际", "竣工"]),
    (
        OperationPlanned,
        &["计划投用", "投用计划", "计划投产", "投产计划"],
    ),
    (
        OperationActual,
        &["实际投用", "投用实际", "投用", "实际投产", "投产"],
    ),
    (
        Status,
        &["状态", "亮灯状态", "项目状态", "红黄绿灯", "预警状态"],
    ),
    (Notes, &["备注", "说明", "备注说明"]),
    (
        Illustrative,
        &["示例", "是否示例", "示例数据", "是否示例数据"],
    ),
];

impl Field {
    /// The name of the [`ProjectDraft`](districtops_domain::projects::ProjectDraft) field the
    /// column fills, as `ProjectDraft::check` names it; `None` for 序号 and 状态.
    pub fn draft_field(self) -> Option<&'static str> {
        Some(match self {
            Serial | Status => return None,
            Code => "code",
            Name => "name",
            Platform => "platform",
            Kind => "kind",
            Stage => "stage",
            Department => "department",
            Leader => "leader",
            TotalInvestment => "total_investment",
            CompletedInvestment => "completed_investment",
            FloorArea => "floor_area_m2",
            LandArea => "land_area",
            Address => "address",
            Longitude => "longitude",
            Latitude => "latitude",
            SigningPlanned => "signing_planned",
            SigningActual => "signing_actual",
            StartPlanned => "start_planned",
            StartActual => "start_actual",
            StructurePlanned => "structure_planned",
            StructureActual => "structure_actual",
            CompletionPlanned => "completion_planned",
            CompletionActual => "completion_actual",
            OperationPlanned => "operation_planned",
            OperationActual => "operation_actual",
            Notes => "notes",
            Illustrative => "illustrative",
        })
    }

    /// The header the export writes (without unit).
    pub fn header(self) -> &'static str {
        SYNONYMS
            .iter()
            .find(|(field, _)| *field == self)
            .map_or("", |(_, names)| names[0])
    }

    pub fn is_date(self) -> bool {
        matches!(
            self,
            SigningPlanned
                | SigningActual
                | StartPlanned
                | StartActual
                | StructurePlanned
                | StructureActual
                | CompletionPlanned
                | CompletionActual
                | OperationPlanned
                | OperationActual
        )
    }
}

/// The unit a header declares for its column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderUnit {
    Money(MoneyUnit),
    /// Square metres, times this many (1 for 平方米, 10 000 for 万平方米).
    SquareMetres(i64),
    /// 亩.
    Mu,
    /// 公顷 (15 亩).
    Hectare,
}

/// Splits a header into its name key and the unit written in it: "总投资（亿元）" is
/// ("总投资", 亿元); "计划开工时间" is ("计划开工", none). The key drops white space,
/// brackets and their content, a trailing "时间"/"日期"/"(年月日)", and a trailing colon.
pub fn split_header(raw: &str) -> (String, Option<HeaderUnit>) {
    let text = normalize_text(raw);
    let mut key = String::new();
    let mut bracket = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '【' | '[' | '〔' => depth += 1,
            ')' | '】' | ']' | '〕' => depth = depth.saturating_sub(1),
            _ if depth > 0 => bracket.push(c),
            c if c.is_whitespace() || c == ':' || c == '：' || c == '*' => {}
            c => key.push(c),
        }
    }
    let mut unit = unit_of(&bracket);
    // A unit written without brackets at the end: "总投资万元", "占地亩".
    if unit.is_none() {
        for word in ["万平方米", "平方米", "万元", "亿元", "公顷", "亩"] {
            if let Some(stripped) = key.strip_suffix(word)
                && !stripped.is_empty()
            {
                unit = unit_of(word);
                key = stripped.to_owned();
                break;
            }
        }
    }
    for suffix in ["时间", "日期", "年月", "情况"] {
        if let Some(stripped) = key.strip_suffix(suffix)
            && stripped.chars().count() >= 2
        {
            key = stripped.to_owned();
        }
    }
    (key, unit)
}

/// The unit a header's brackets or a cell's number name: 亿元, 平方米, 万㎡, 亩, 公顷 ...
pub(crate) fn unit_of(text: &str) -> Option<HeaderUnit> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(unit) = MoneyUnit::parse(&text) {
        return Some(HeaderUnit::Money(unit));
    }
    match text.as_str() {
        "平方米" | "㎡" | "m²" | "m2" | "平米" => Some(HeaderUnit::SquareMetres(1)),
        "万平方米" | "万㎡" | "万m²" | "万m2" | "万平米" => {
            Some(HeaderUnit::SquareMetres(10_000))
        }
        "亩" => Some(HeaderUnit::Mu),
        "公顷" => Some(HeaderUnit::Hectare),
        _ => None,
    }
}

/// The field a header key names, if any.
pub fn field_for_key(key: &str) -> Option<Field> {
    if key.is_empty() {
        return None;
    }
    SYNONYMS
        .iter()
        .find(|(_, names)| names.contains(&key))
        .map(|(field, _)| *field)
}

/// The field of a column headed `child` under a (possibly merged) `parent`, with the unit
/// from either: "总投资" under "投资（亿元）", "计划" under "开工时间", or a one-row header.
pub fn resolve_header(parent: Option<&str>, child: &str) -> Option<(Field, Option<HeaderUnit>)> {
    let (child_key, child_unit) = split_header(child);
    let (parent_key, parent_unit) = parent.map(split_header).unwrap_or_default();
    let unit = child_unit.or(parent_unit);
    let candidates = [
        child_key.clone(),
        format!("{child_key}{parent_key}"),
        format!("{parent_key}{child_key}"),
    ];
    let found = if parent_key.is_empty() || parent_key == child_key {
        field_for_key(&child_key)
    } else {
        // Under a parent, the combination wins: "已完成" under "投资" is investment, and
        // "计划" under "开工" the planned start.
        candidates[1..]
            .iter()
            .find_map(|k| field_for_key(k))
            .or_else(|| field_for_key(&child_key))
    };
    found.map(|field| (field, unit))
}

/// The default unit of a field's column when its header names none.
pub fn default_unit(field: Field) -> Option<HeaderUnit> {
    match field {
        TotalInvestment | CompletedInvestment => Some(HeaderUnit::Money(MoneyUnit::Wan)),
        FloorArea => Some(HeaderUnit::SquareMetres(1)),
        LandArea => Some(HeaderUnit::Mu),
        _ => None,
    }
}

#[cfg(test)]
#[path = "projects_fields_tests.rs"]
mod tests;
