//! Duyệt: one dossier's digitisation under review. Its pages as thumbnails with their quality
//! flags and one of them large, the components checklist with the missing ones marked, where the
//! review stands and every decision so far; "Duyệt" approves, "Trả lại" returns it to the
//! officer with a note saying what to fix.

use hoso_model::ipc::DigitisationView;
use hoso_model::supervision::{Review, ReviewDecision};
use hoso_model::time::format_local;
use hoso_model::{ApiError, Text, i18n};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::components::PageThumb;
use crate::ipc;
use crate::state::DeskContext;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The dossier's code or id.
    pub dossier: String,
    pub on_back: Callback<()>,
    /// A decision was recorded: `(the dossier, the decision)`.
    pub on_decided: Callback<(String, ReviewDecision)>,
}

#[function_component(ReviewPage)]
pub fn review_page(props: &Props) -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let review = use_state(|| None::<Review>);
    let view = use_state(|| None::<DigitisationView>);
    let error = use_state(|| None::<ApiError>);
    let selected = use_state(|| None::<String>);
    let image = use_state(|| None::<(String, String)>);
    let note = use_state(String::new);
    let busy = use_state(|| false);
    let back_button = use_node_ref();

    {
        let (review, view, error, selected) = (
            review.clone(),
            view.clone(),
            error.clone(),
            selected.clone(),
        );
        let back_button = back_button.clone();
        use_effect_with(props.dossier.clone(), move |key| {
            crate::components::focus(&back_button);
            let key = key.clone();
            spawn_local(async move {
                match ipc::review(&key).await {
                    Ok(r) => review.set(Some(r)),
                    Err(e) => {
                        error.set(Some(e));
                        return;
                    }
                }
                match ipc::digitisation(&key).await {
                    Ok(v) => {
                        selected.set(v.digitisation.pages.first().map(|p| p.id.clone()));
                        view.set(Some(v));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        });
    }
    // The selected page, large.
    {
        let (image, error) = (image.clone(), error.clone());
        use_effect_with((*selected).clone(), move |page| {
            if let Some(page) = page.clone() {
                spawn_local(async move {
                    match ipc::page_image(&page).await {
                        Ok(url) => image.set(Some((page, url))),
                        Err(e) => error.set(Some(e)),
                    }
                });
            }
        });
    }

    let back = {
        let on_back = props.on_back.clone();
        Callback::from(move |_: MouseEvent| on_back.emit(()))
    };
    let on_note = {
        let note = note.clone();
        Callback::from(move |e: InputEvent| {
            note.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let decide = |decision: ReviewDecision| {
        let (note, error, busy) = (note.clone(), error.clone(), busy.clone());
        let (key, on_decided) = (props.dossier.clone(), props.on_decided.clone());
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            let (note, error, busy, key, on_decided) = (
                (*note).clone(),
                error.clone(),
                busy.clone(),
                key.clone(),
                on_decided.clone(),
            );
            busy.set(true);
            spawn_local(async move {
                let note = Some(note.trim()).filter(|n| !n.is_empty());
                match ipc::decide(&key, decision, note).await {
                    Ok(_) => on_decided.emit((key, decision)),
                    Err(e) => {
                        error.set(Some(e));
                        busy.set(false);
                    }
                }
            });
        })
    };

    let error_line = error.as_ref().map(|e| {
        html! { <p id="review-error" class="form-error" role="alert">{ i18n::error_text(lang, e) }</p> }
    });
    let header = html! {
        <button id="review-back" class="link" ref={back_button} onclick={back}>{ Text::BackToQueues.in_lang(lang) }</button>
    };
    let Some(r) = &*review else {
        return html! {
            <section id="review" class="review" aria-busy={error.is_none().to_string()}>
                { header }
                <h1>{ Text::ReviewTitle.in_lang(lang) }</h1>
                { for error_line }
            </section>
        };
    };
    let d = &r.dossier;

    let thumbnails = match &*view {
        None => html! {},
        Some(v) if v.digitisation.pages.is_empty() => {
            html! { <p id="review-no-pages" class="empty">{ Text::NoPages.in_lang(lang) }</p> }
        }
        Some(v) => {
            let figures = v
                .digitisation
                .pages
                .iter()
                .zip(&v.thumbnails)
                .map(|(page, (_, src))| {
                    let onselect = {
                        let (selected, id) = (selected.clone(), page.id.clone());
                        Callback::from(move |_: ()| selected.set(Some(id.clone())))
                    };
                    let current = selected.as_deref() == Some(page.id.as_str());
                    html! { <PageThumb page={page.clone()} src={src.clone()} {lang} {onselect} selected={current} /> }
                });
            html! { <div id="review-thumbnails" class="thumbnails">{ for figures }</div> }
        }
    };
    let large = match (&*selected, &*image) {
        (Some(page), Some((shown, url))) if page == shown => html! {
            <img id="review-page" src={url.clone()} alt={Text::PageShown.in_lang(lang)} />
        },
        (Some(_), _) => {
            html! { <p class="empty" aria-busy="true">{ Text::Loading.in_lang(lang) }</p> }
        }
        (None, _) => html! {},
    };
    let components = r.digitisation.components.iter().map(|c| {
        let mark = if c.missing() {
            format!(" — {}", Text::Missing.in_lang(lang))
        } else if c.count_differs() {
            format!(" — {}", Text::CountDiffers.in_lang(lang))
        } else {
            String::new()
        };
        html! {
            <li class={classes!(c.missing().then_some("missing"))} data-component={c.n.to_string()}>
                <span class="tick" aria-hidden="true">{ if c.missing() { "✗" } else if c.pages > 0 || c.checked { "✓" } else { "·" } }</span>
                { format!("{}. {} ({} {}){mark}", c.n, c.name, c.pages, Text::PagesWord.in_lang(lang)) }
            </li>
        }
    });
    let log = if r.log.is_empty() {
        html! { <p id="review-log-empty" class="empty">{ Text::ReviewLogEmpty.in_lang(lang) }</p> }
    } else {
        let entries = r.log.iter().map(|e| {
            html! {
                <li data-decision={e.decision.name()}>
                    <time>{ format_local(e.at) }</time>{ " · " }
                    <strong>{ i18n::decision_label(lang, e.decision) }</strong>{ " · " }
                    <span class="actor">{ &e.actor }</span>
                    { for e.note.as_ref().map(|n| html! { <p class="note">{ n }</p> }) }
                </li>
            }
        });
        html! { <ol id="review-log" class="timeline">{ for entries }</ol> }
    };
    let approve = ReviewDecision::Approve;
    let rework = ReviewDecision::Rework;

    html! {
        <section id="review" class="review">
            { header }
            <h1>{ Text::ReviewTitle.in_lang(lang) }</h1>
            <dl class="facts">
                <dt>{ Text::ColumnCode.in_lang(lang) }</dt>
                <dd id="review-code">{ d.code.clone().unwrap_or_else(|| Text::NoCode.in_lang(lang).to_owned()) }</dd>
                <dt>{ Text::ColumnApplicant.in_lang(lang) }</dt>
                <dd id="review-applicant">{ &d.applicant_name }</dd>
                <dt>{ Text::ColumnProcedure.in_lang(lang) }</dt>
                <dd><span class="code">{ &d.procedure_code }</span>{ " " }{ desk.procedure_name(&d.procedure_code) }</dd>
                <dt>{ Text::ReviewStateTitle.in_lang(lang) }</dt>
                <dd id="review-state" data-state={r.state.name()}>{ i18n::review_label(lang, r.state) }</dd>
            </dl>
            <div class="review-body">
                <div class="review-pages">
                    { thumbnails }
                    <div class="review-view">{ large }</div>
                </div>
                <aside>
                    <h2>{ Text::Components.in_lang(lang) }</h2>
                    <ul id="review-components" class="components">{ for components }</ul>
                    <h2>{ Text::ReviewLog.in_lang(lang) }</h2>
                    { log }
                    <label for="review-note">{ Text::ReviewNote.in_lang(lang) }</label>
                    <textarea id="review-note" rows="4" value={(*note).clone()} oninput={on_note} />
                    { for error_line }
                    <div class="actions">
                        <button id="review-approve" class="primary" disabled={*busy || !approve.allowed_in(r.state)}
                            onclick={decide(approve)}>{ Text::ApproveButton.in_lang(lang) }</button>
                        <button id="review-return" class="action" disabled={*busy || !rework.allowed_in(r.state)}
                            onclick={decide(rework)}>{ Text::ReturnButton.in_lang(lang) }</button>
                    </div>
                </aside>
            </div>
        </section>
    }
}
