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
    /// Where the tile leads, once its area is built.
    pub href: Option<&'static str>,
}

const TILES: &[Tile] = &[
    Tile {
        key: "projects",
        title: "area.projects",
        body: "area.projects_body",
        href: None,
    },
    Tile {
        key: "clearance",
        title: "area.clearance",
        body: "area.clearance_body",
        href: None,
    },
    Tile {
        key: "attraction",
        title: "area.attraction",
        body: "area.attraction_body",
        href: None,
    },
    Tile {
        key: "service",
        title: "area.service",
        body: "area.service_body",
        href: None,
    },
    Tile {
        key: "funds",
        title: "area.funds",
        body: "area.funds_body",
        href: None,
    },
    Tile {
        key: "tasks",
        title: "area.tasks",
        body: "area.tasks_body",
        href: None,
    },
    Tile {
        key: "cockpit",
        title: "area.cockpit",
        body: "area.cockpit_body",
        href: Some("/cockpit"),
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
