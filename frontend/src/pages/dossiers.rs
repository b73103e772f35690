//! Hồ sơ: the dossiers on this desk, newest first.

use hoso_model::Text;
use hoso_model::time::format_local;
use yew::prelude::*;

use crate::app::DeskContext;

#[function_component(DossiersPage)]
pub fn dossiers_page() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let body = if desk.dossiers.is_empty() {
        html! { <p id="dossiers-empty" class="empty">{ Text::DossiersEmpty.in_lang(lang) }</p> }
    } else {
        let rows = desk.dossiers.iter().map(|d| {
            html! {
                <tr class="dossier-row" key={d.id.0.clone()}>
                    <td class="received">{ format_local(d.received_at) }</td>
                    <td class="procedure"><span class="code">{ &d.procedure_code }</span>{ " " }{ desk.procedure_name(&d.procedure_code) }</td>
                    <td class="applicant">{ &d.applicant_name }</td>
                </tr>
            }
        });
        html! {
            <table id="dossier-list" class="table">
                <thead>
                    <tr>
                        <th scope="col">{ Text::ColumnReceived.in_lang(lang) }</th>
                        <th scope="col">{ Text::ColumnProcedure.in_lang(lang) }</th>
                        <th scope="col">{ Text::ColumnApplicant.in_lang(lang) }</th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        }
    };
    html! {
        <section class="dossiers">
            <h1>{ Text::DossiersTitle.in_lang(lang) }</h1>
            { body }
        </section>
    }
}
