//! The home page: a tile per area of the product.

use super::{Notice, Page};
use crate::auth::CurrentUser;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};

pub struct Tile {
    pub key: &'static str,
    pub title: &'static str,
    pub body: &'static str,
}

const TILES: &[Tile] = &[
    Tile {
        key: "projects",
        title: "area.projects",
        body: "area.projects_body",
    },
    Tile {
        key: "clearance",
        title: "area.clearance",
        body: "area.clearance_body",
    },
    Tile {
        key: "attraction",
        title: "area.attraction",
        body: "area.attraction_body",
    },
    Tile {
        key: "service",
        title: "area.service",
        body: "area.service_body",
    },
    Tile {
        key: "funds",
        title: "area.funds",
        body: "area.funds_body",
    },
    Tile {
        key: "tasks",
        title: "area.tasks",
        body: "area.tasks_body",
    },
    Tile {
        key: "cockpit",
        title: "area.cockpit",
        body: "area.cockpit_body",
    },
];

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    page: Page,
    tiles: &'static [Tile],
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(notice): Query<Notice>,
) -> HomePage {
    let page = notice.apply(Page::new(&state, lang, &user, "home", "/"));
    HomePage { page, tiles: TILES }
}
