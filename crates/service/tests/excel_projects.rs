//! The project ledger's import and export against files saved by LibreOffice
//! (`tests/fixtures/*.xlsx`, made from the `.fods` beside them by `make-fixtures.sh`).

mod excel_projects {
    mod export;
    mod fixtures;
    mod safety;
}
