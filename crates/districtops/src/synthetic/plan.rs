//! One synthetic project, drawn from the generator's random stream: its facts, a dated stage
//! timeline around today, the milestones of that timeline, ten monthly reports that add up to
//! its completed investment, a quarterly plan, and the colour the domain rules give it.

use chrono::{Datelike, Duration, NaiveDate};
use districtops_domain::projects::{ProjectKind, Stage};
use districtops_service::projects::status::assess;
use districtops_store::{
    BulkMilestone, BulkProject, BulkReport, MilestoneRow, PlanRow, ProjectFields,
};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// An account that leads some projects (of any department).
pub(super) struct Leader {
    pub user_id: i64,
    pub name: String,
}

pub(super) struct Planner {
    pub rng: ChaCha8Rng,
    pub today: NaiveDate,
    pub departments: Vec<i64>,
    pub platforms: Vec<i64>,
    pub leaders: Vec<Leader>,
}

const AREAS: [&str; 8] = [
    "城东", "城西", "滨河", "北湖", "南山", "新城", "高铁", "临港",
];
const SUFFIXES: [&str; 6] = ["项目", "一期", "二期", "综合体", "产业园", "中心"];
const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: [&str; 10] = [
    "建国", "海燕", "志强", "秀兰", "军", "敏", "伟", "静", "磊", "洋",
];
const ROADS: [&str; 6] = [
    "经十路",
    "纬二路",
    "和谐大道",
    "滨河路",
    "工业北路",
    "腊山河路",
];
const MILESTONES: [&str; 5] = ["完成签约", "开工建设", "主体封顶", "竣工验收", "投入运营"];
const NARRATIVES: [&str; 4] = ["前期手续办理", "基础施工", "主体结构施工", "设备安装调试"];
/// Stages with their weight among projects, in the stages' order.
const STAGES: [(Stage, u32); 6] = [
    (Stage::Pipeline, 10),
    (Stage::Signed, 15),
    (Stage::UnderConstruction, 40),
    (Stage::StructureDone, 15),
    (Stage::Completed, 10),
    (Stage::InOperation, 10),
];
/// Days from one stage's date to the next: signing → start → structure → completion →
/// operation.
const GAPS: [(i64, i64); 4] = [(90, 240), (300, 540), (180, 420), (60, 180)];
/// Share of the total investment completed by the stage, in per mille.
const COMPLETED_PER_MILLE: [(i64, i64); 6] = [
    (5, 30),
    (20, 80),
    (200, 600),
    (500, 800),
    (850, 1000),
    (950, 1000),
];
/// Monthly reports per project.
const REPORTS: usize = 10;

impl Planner {
    /// The project numbered `n` (from 0).
    pub fn project(&mut self, n: usize) -> BulkProject {
        let rng = &mut self.rng;
        let kind = ProjectKind::ALL[rng.gen_range(0..ProjectKind::ALL.len())];
        let stage_index = weighted_stage(rng);
        let department_id = self.departments[rng.gen_range(0..self.departments.len())];
        // One in twenty is led by an account (of any department), the rest by a name only.
        let (leader_user_id, leader_name) = if rng.gen_ratio(1, 20) {
            let leader = &self.leaders[rng.gen_range(0..self.leaders.len())];
            (Some(leader.user_id), leader.name.clone())
        } else {
            let surname = SURNAMES[rng.gen_range(0..SURNAMES.len())];
            (
                None,
                format!("{surname}{}", GIVEN[rng.gen_range(0..GIVEN.len())]),
            )
        };
        let platform_id = if rng.gen_ratio(9, 10) {
            Some(self.platforms[rng.gen_range(0..self.platforms.len())])
        } else {
            None
        };
        let area = AREAS[rng.gen_range(0..AREAS.len())];
        let name = format!(
            "{area}{}{}（{}）",
            kind_noun(kind),
            SUFFIXES[rng.gen_range(0..SUFFIXES.len())],
            n + 1
        );
        let total = rng.gen_range(5_000_i64..=500_000) * 10_000;
        let (low, high) = COMPLETED_PER_MILLE[stage_index];
        let completed = total * rng.gen_range(low..=high) / 1000;
        let dates = self.timeline(stage_index);
        let rng = &mut self.rng;
        let milestones: Vec<BulkMilestone> = MILESTONES
            .iter()
            .zip(&dates)
            .map(|(name, (planned, actual))| BulkMilestone {
                name: (*name).to_owned(),
                planned: *planned,
                actual: *actual,
                owner_name: None,
            })
            .collect();
        let reports = monthly_reports(rng, self.today, completed, stage_index);
        let plan = quarterly_plan(rng, self.today, completed);
        let colour = {
            let milestone_rows: Vec<MilestoneRow> = milestones
                .iter()
                .map(|m| MilestoneRow {
                    id: 0,
                    project_id: 0,
                    name: m.name.clone(),
                    planned: m.planned,
                    actual: m.actual,
                    owner_name: None,
                    version: 1,
                })
                .collect();
            let plan_rows: Vec<PlanRow> = plan
                .iter()
                .map(|(period, target)| PlanRow {
                    project_id: 0,
                    period: period.clone(),
                    cumulative_target: *target,
                })
                .collect();
            assess(self.today, &milestone_rows, &plan_rows, completed).colour
        };
        let fields = ProjectFields {
            code: Some(format!("GEN-{:06}", n + 1)),
            name,
            platform_id,
            kind: kind.as_str().to_owned(),
            stage: STAGES[stage_index].0.as_str().to_owned(),
            department_id,
            leader_user_id,
            leader_name: Some(leader_name),
            total_investment: total,
            completed_investment: completed,
            floor_area_m2: Some(rng.gen_range(2_000..=300_000)),
            land_area_mu_x100: Some(rng.gen_range(1_000..=50_000)),
            address: Some(format!(
                "{}{}{}号",
                area,
                ROADS[rng.gen_range(0..ROADS.len())],
                rng.gen_range(1..=999)
            )),
            // Inside the district: 116.86–116.99 °E, 36.62–36.70 °N, to the metre.
            longitude: Some(rng.gen_range(11_686_000..=11_699_000) as f64 / 100_000.0),
            latitude: Some(rng.gen_range(3_662_000..=3_670_000) as f64 / 100_000.0),
            dates: dates.map(|(planned, actual)| (Some(planned), actual)),
            notes: None,
            illustrative: true,
            status_colour: colour.as_str().to_owned(),
        };
        BulkProject {
            fields,
            milestones,
            reports,
            plan,
        }
    }

    /// Planned and actual dates of signing, start, structure, completion and operation. The
    /// next stage's date falls between two months ago and eighteen months ahead, so some
    /// projects are late (yellow or red); the stages reached have their actual dates.
    fn timeline(&mut self, stage_index: usize) -> [(NaiveDate, Option<NaiveDate>); 5] {
        let rng = &mut self.rng;
        let anchor = if stage_index < 5 {
            self.today + Duration::days(rng.gen_range(-60..=540))
        } else {
            self.today - Duration::days(rng.gen_range(30..=720))
        };
        let anchor_index = stage_index.min(4);
        let mut planned = [anchor; 5];
        for i in (0..anchor_index).rev() {
            let (low, high) = GAPS[i];
            planned[i] = planned[i + 1] - Duration::days(rng.gen_range(low..=high));
        }
        for i in anchor_index + 1..5 {
            let (low, high) = GAPS[i - 1];
            planned[i] = planned[i - 1] + Duration::days(rng.gen_range(low..=high));
        }
        // Stage i + 1 (signed = 1, …, in operation = 5) is reached on milestone i.
        let mut actual = [None; 5];
        for (i, date) in planned.iter().enumerate().take(stage_index) {
            actual[i] = Some((*date + Duration::days(rng.gen_range(-20..=40))).min(self.today));
        }
        std::array::from_fn(|i| (planned[i], actual[i]))
    }
}

fn weighted_stage(rng: &mut ChaCha8Rng) -> usize {
    let total: u32 = STAGES.iter().map(|(_, w)| w).sum();
    let mut pick = rng.gen_range(0..total);
    for (i, (_, weight)) in STAGES.iter().enumerate() {
        if pick < *weight {
            return i;
        }
        pick -= weight;
    }
    STAGES.len() - 1
}

fn kind_noun(kind: ProjectKind) -> &'static str {
    match kind {
        ProjectKind::Medical => "医疗",
        ProjectKind::Headquarters => "总部",
        ProjectKind::Industrial => "智能制造",
        ProjectKind::ResearchPlatform => "研发平台",
        ProjectKind::Infrastructure => "市政配套",
        ProjectKind::Education => "学校",
        ProjectKind::Other => "商业",
    }
}

/// `YYYY-MM` of the month `back` months before `day`'s.
fn month_before(day: NaiveDate, back: u32) -> String {
    let months = day.year() * 12 + day.month0() as i32 - back as i32;
    format!(
        "{:04}-{:02}",
        months.div_euclid(12),
        months.rem_euclid(12) + 1
    )
}

/// Ten consecutive monthly reports ending one to three months ago, adding up to `completed`.
fn monthly_reports(
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
    completed: i64,
    stage_index: usize,
) -> Vec<BulkReport> {
    let last = rng.gen_range(1..=3);
    let weights: Vec<i64> = (0..REPORTS).map(|_| rng.gen_range(50..=150)).collect();
    let sum: i64 = weights.iter().sum();
    let mut left = completed;
    let final_percent = [2, 5, 45, 75, 98, 100][stage_index];
    (0..REPORTS)
        .map(|i| {
            let invested = if i + 1 == REPORTS {
                left
            } else {
                // i128: a total of 50亿元 times a weight overflows nothing, but stays exact.
                (completed as i128 * weights[i] as i128 / sum as i128) as i64
            };
            left -= invested;
            let narrative = rng
                .gen_ratio(1, 4)
                .then(|| NARRATIVES[rng.gen_range(0..NARRATIVES.len())].to_owned());
            BulkReport {
                period: month_before(today, last + (REPORTS - 1 - i) as u32),
                invested_in_period: invested,
                percent: final_percent * (i as i64 + 1) / REPORTS as i64,
                narrative,
            }
        })
        .collect()
}

/// Cumulative targets for the last four quarters that ended, the latest between 80 % and
/// 115 % of `completed` (so about one project in ten lags its plan).
fn quarterly_plan(rng: &mut ChaCha8Rng, today: NaiveDate, completed: i64) -> Vec<(String, i64)> {
    let latest = completed * rng.gen_range(80..=115) / 100;
    let this_quarter = today.year() * 4 + today.month0() as i32 / 3;
    (1..=4)
        .rev()
        .map(|back| {
            let quarter = this_quarter - back;
            let target = latest * (5 - back as i64) / 4;
            (
                format!("{}-Q{}", quarter.div_euclid(4), quarter.rem_euclid(4) + 1),
                target,
            )
        })
        .collect()
}
