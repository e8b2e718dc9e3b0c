//! The words of the template: the 填表说明 sheet (what to fill, sheet by sheet, and every
//! indicator with its points and categories) and the hidden `_meta` sheet (what the
//! workbook was made from, so an import can tell a stale or foreign template).

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::layout;
use super::template::TemplateData;

pub(super) fn write_meta(ws: &mut Worksheet, data: &TemplateData) -> Result<(), XlsxError> {
    let rows = [
        ("格式", layout::FORMAT.to_string()),
        ("年度", data.year.to_string()),
        ("指标体系", data.sys.name.clone()),
        ("版本", data.sys.version.clone().unwrap_or_default()),
        ("指标体系指纹", data.system_fingerprint.clone()),
        ("结构指纹", data.layout.fingerprint()),
        ("范围", data.scope.join(".")),
        (
            "生成工具",
            format!("dangjian {}", env!("CARGO_PKG_VERSION")),
        ),
    ];
    for (r, (k, v)) in rows.iter().enumerate() {
        ws.write_string(r as u32, 0, *k)?;
        ws.write_string(r as u32, 1, v)?;
    }
    Ok(())
}

pub(super) fn guide_lines(data: &TemplateData) -> Vec<String> {
    let sys = data.sys;
    let version = sys
        .version
        .as_deref()
        .map(|v| format!("（版本 {v}）"))
        .unwrap_or_default();
    let scope = if data.scope.is_empty() {
        "全区（县）".to_string()
    } else {
        format!("组织 {}", data.scope.join("."))
    };
    let mut lines = vec![
        format!("{} 年度党支部工作台账", data.year),
        format!("指标体系：{}{version}；本表范围：{scope}", sys.name),
        String::new(),
        "怎么填".to_string(),
        "1. 每张表第 1 行是列名，第 2 行是填写说明，从第 3 行起填写；不要修改、删除或挪动列名，不要合并单元格。".to_string(),
        "2. 支部：每个党支部一行。支部编号是它的固定代号（字母、数字、_ 或 -），其余各表都用它对应到支部。".to_string(),
        "3. 会议：每次会议一行（支委会、党员大会、党小组会、党课、主题党日等），日期写成 2026-01-08 这样的日期；应到、实到人数要么都填，要么都空。".to_string(),
        format!("4. 清单：每个支部一行，完成的项目选 {}，未完成选 {}；一份清单全部留空表示未填报（按缺少数据计分）。", layout::DONE, layout::NOT_DONE),
        "5. 测评：每个支部一行，填写各项测评的参与人数和肯定（满意）人数。".to_string(),
        "6. 数据：每个支部一行；事件（如违纪、投诉）未发生也要填 0，留空表示未填报。".to_string(),
        "7. 考评：每个支部、每个适用指标一行；评价等级由考核组填写，自评分由支部填写（不超过分值，最多两位小数）。".to_string(),
        "8. 组织：列出各级党组织（路径用 . 连接各级编号，如 xinhe.qiaodong）；新增组织在此添加一行。".to_string(),
        "9. 考评组检查：考评组对每个检查过的支部填一行（日期、成员、是否抽查、检查方法、核实过的部分打 ✓、综合评价、整改意见）；未检查的支部留空。".to_string(),
        "10. 整改计划：每个整改事项一行（问题、措施、责任人、时限；完成后填完成日期），可选对应的指标；整改状态由完成日期和时限自动判定。".to_string(),
        "11. 标灰的列仅供查看，导入时不读取。有下拉箭头的单元格请从下拉列表中选择。一格内写多项时，每项一行（Alt+Enter 换行）。".to_string(),
        String::new(),
        "填好后交回组织部，由组织部用 dangjian import 导入；导入前会逐格检查，发现的问题会写明工作表和单元格（如 会议!C17）。".to_string(),
        String::new(),
        "指标一览（指标编号、名称、分值、适用类别）".to_string(),
    ];
    for (_, ind) in sys.indicators() {
        let cats = match &ind.applies_to {
            None => "全部类别".to_string(),
            Some(c) => c
                .iter()
                .map(|id| sys.category_label(id).unwrap_or(id))
                .collect::<Vec<_>>()
                .join("、"),
        };
        let rating = if ind.rating_levels().is_some() {
            "；定性评价"
        } else {
            ""
        };
        lines.push(format!(
            "{}　{}　{} 分　{cats}{rating}",
            ind.id,
            ind.label,
            crate::decimal::show(ind.points)
        ));
    }
    lines
}
