//! `/cockpit`: the leaders' cockpit (领导驾驶舱) — big figures, tables by platform and by
//! stage, the red projects with their reasons, and the monthly investment trend (drawn by
//! `/static/cockpit.js` from the `data-months` attribute; no inline script).

use super::Page;
use super::platforms::KpiView;
use super::projects::{reason_text, stage_key};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use chrono::Datelike;
use districtops_domain::money::{Money, MoneyUnit};
use districtops_service::projects::Cockpit;

/// One big figure: label key, value, unit key (empty for a plain count).
pub struct Figure {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    pub unit: &'static str,
}

pub struct PlatformView {
    pub name: String,
    pub count: i64,
    pub total: String,
    pub completed: String,
    pub floor_area: String,
}

pub struct StageView {
    pub label: String,
    pub count: i64,
}

pub struct RedView {
    pub id: i64,
    pub name: String,
    pub platform: String,
    pub reasons: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "cockpit.html")]
pub struct CockpitPage {
    page: Page,
    figures: Vec<Figure>,
    platforms: Vec<PlatformView>,
    stages: Vec<StageView>,
    red: Vec<RedView>,
    /// `[["2020-04", 123400000000], …]`: period and 元 reported, for the chart.
    months_json: String,
    /// This year's targets against their actuals (`platforms/_kpis.html`).
    kpi_title: String,
    kpis: Vec<KpiView>,
    can_plan: bool,
}

/// An amount in 亿元, rounded to two decimals, without the unit.
fn yi(yuan: i64) -> String {
    let text = Money::from_yuan(yuan).format_rounded(MoneyUnit::Yi, 2);
    text.trim_end_matches(MoneyUnit::Yi.label())
        .trim()
        .to_owned()
}

/// Square metres in 万平方米, rounded half up to two decimals, trailing zeros trimmed.
pub fn wan_m2(m2: i64) -> String {
    let hundredths = (i128::from(m2).abs() + 50) / 100;
    let sign = if m2 < 0 && hundredths > 0 { "-" } else { "" };
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    let whole =
        Money::from_yuan(i64::try_from(whole).unwrap_or(i64::MAX)).format_number(MoneyUnit::Yuan);
    match frac {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}

fn figures(c: &Cockpit) -> Vec<Figure> {
    let figure = |key, label, value, unit| Figure {
        key,
        label,
        value,
        unit,
    };
    let t = &c.totals;
    vec![
        figure("projects", "cockpit.projects", t.count.to_string(), ""),
        figure(
            "total",
            "cockpit.total_investment",
            yi(t.total_investment),
            "cockpit.unit_yi",
        ),
        figure(
            "completed",
            "cockpit.completed_investment",
            yi(t.completed_investment),
            "cockpit.unit_yi",
        ),
        figure(
            "floor",
            "cockpit.floor_area",
            wan_m2(t.floor_area_m2),
            "cockpit.unit_wan_m2",
        ),
        figure("red", "cockpit.red", c.red.to_string(), ""),
        figure("yellow", "cockpit.yellow", c.yellow.to_string(), ""),
        figure("green", "cockpit.green", c.green.to_string(), ""),
    ]
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> AppResult<CockpitPage> {
    let c = state.services.cockpit(&user.ctx()).await?;
    let page = Page::new(&state, lang, &user, "cockpit", "/cockpit");
    let tr = page.t;
    let no_platform = tr.t("cockpit.no_platform");
    let platforms = c
        .platforms
        .iter()
        .map(|p| PlatformView {
            name: p
                .platform_name
                .clone()
                .unwrap_or_else(|| no_platform.to_owned()),
            count: p.count,
            total: yi(p.total_investment),
            completed: yi(p.completed_investment),
            floor_area: wan_m2(p.floor_area_m2),
        })
        .collect();
    let stages = c
        .stages
        .iter()
        .map(|s| StageView {
            label: tr.t(stage_key(&s.value)).to_owned(),
            count: s.count,
        })
        .collect();
    let red = c
        .red_projects
        .iter()
        .map(|r| RedView {
            id: r.id,
            name: r.name.clone(),
            platform: r.platform.clone().unwrap_or_else(|| no_platform.to_owned()),
            reasons: r.reasons.iter().map(|x| reason_text(tr, x)).collect(),
        })
        .collect();
    let months: Vec<(&str, i64)> = c
        .months
        .iter()
        .map(|m| (m.period.as_str(), m.invested))
        .collect();
    let months_json = serde_json::to_string(&months).unwrap_or_else(|_| "[]".to_owned());
    let year = state.services.today().year();
    Ok(CockpitPage {
        kpi_title: tr.f("goal.cockpit_title", &[("year", &year)]),
        kpis: c.kpis.iter().map(|k| KpiView::new(tr, k)).collect(),
        can_plan: false,
        figures: figures(&c),
        page,
        platforms,
        stages,
        red,
        months_json,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_area_in_wan_m2() {
        assert_eq!(wan_m2(6_500_000), "650");
        assert_eq!(wan_m2(12_345), "1.23");
        assert_eq!(wan_m2(15_000), "1.5");
        assert_eq!(wan_m2(123_456_789), "12,345.68");
        assert_eq!(wan_m2(0), "0");
    }

    #[test]
    fn money_in_yi() {
        assert_eq!(yi(64_800_000_000), "648");
        assert_eq!(yi(12_738_456_789), "127.38");
    }
}
