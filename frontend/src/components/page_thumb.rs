//! A page's thumbnail with where it is in the dossier and its quality flags, as the scan
//! station and the review page show it. Pressing the picture (click, Enter or Space) selects
//! the page; the page's own buttons come as children. Where the page can be moved, it can be
//! dragged onto another: `ondragstart` on the one taken, `ondrop` on the one it is dropped on.

use hoso_model::page::{PageFlag, PageInfo, Target};
use hoso_model::{Language, Text};
use yew::prelude::*;

/// The words of a quality flag.
pub fn flag_text(flag: &PageFlag) -> Text {
    match flag {
        PageFlag::Blank => Text::FlagBlank,
        PageFlag::LowResolution { .. } => Text::FlagLowResolution,
        PageFlag::GreyForColour => Text::FlagGreyForColour,
        PageFlag::Duplicate { .. } => Text::FlagDuplicate,
        PageFlag::LooksLike { .. } => Text::FlagLooksLike,
    }
}

/// Where a page is: `TP2 · 1` (component 2, first page) or `KQ · 1` (the results); a second
/// image of a sheet adds `b`: `TP2 · 1b`.
pub fn place(page: &PageInfo) -> String {
    let second = if page.note_of.is_some() { "b" } else { "" };
    match &page.target {
        Target::Component { n } => format!("TP{n} · {}{second}", page.position),
        Target::Result { .. } => format!("KQ · {}{second}", page.position),
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub page: PageInfo,
    /// The thumbnail as a `data:` URL.
    pub src: String,
    pub lang: Language,
    pub onselect: Callback<()>,
    #[prop_or_default]
    pub selected: bool,
    #[prop_or_default]
    pub children: Html,
    /// Whether the page can be dragged (and others dropped on it).
    #[prop_or_default]
    pub draggable: bool,
    #[prop_or_default]
    pub ondragstart: Callback<()>,
    #[prop_or_default]
    pub ondrop: Callback<()>,
}

#[function_component(PageThumb)]
pub fn page_thumb(props: &Props) -> Html {
    let page = &props.page;
    let flags = page
        .flags
        .iter()
        .map(|f| html! { <span class="flag">{ flag_text(f).in_lang(props.lang) }</span> });
    let onclick = {
        let onselect = props.onselect.clone();
        Callback::from(move |_: MouseEvent| onselect.emit(()))
    };
    let ondragstart = props.draggable.then(|| {
        let start = props.ondragstart.clone();
        Callback::from(move |_: DragEvent| start.emit(()))
    });
    // Taking the drag over is what makes the page a place to drop on.
    let ondragover = props
        .draggable
        .then(|| Callback::from(|e: DragEvent| e.prevent_default()));
    let ondrop = props.draggable.then(|| {
        let drop = props.ondrop.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            drop.emit(());
        })
    });
    html! {
        <figure class={classes!("page-thumb", props.selected.then_some("selected"), page.note_of.is_some().then_some("second-image"))}
            id={format!("page-{}", page.id)} data-place={place(page)} data-flags={page.flags.len().to_string()}
            draggable={props.draggable.then_some("true")} {ondragstart} {ondragover} {ondrop}>
            <button type="button" class="thumb" aria-pressed={props.selected.to_string()} title={place(page)} {onclick}>
                <img src={props.src.clone()} alt={place(page)} />
            </button>
            <figcaption>{ place(page) }
                if page.note_of.is_some() {
                    <span class="second">{ Text::SecondImage.in_lang(props.lang) }</span>
                }
                { for flags }</figcaption>
            { props.children.clone() }
        </figure>
    }
}
