//! The weekly chart of the indicators: per week, dossiers received, on time and late, as bars
//! drawn in inline SVG (nothing loaded, nothing drawn by a script). Each bar says its numbers
//! in its title; the legend names the colours.

use hoso_model::supervision::Week;
use hoso_model::{Language, Text};
use yew::prelude::*;

use crate::state::supervise::{Series, chart};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub weeks: Vec<Week>,
    pub lang: Language,
}

fn series_text(series: Series) -> Text {
    match series {
        Series::Received => Text::ChartReceived,
        Series::OnTime => Text::ChartOnTime,
        Series::Late => Text::ChartLate,
    }
}

#[function_component(WeekChart)]
pub fn week_chart(props: &Props) -> Html {
    let lang = props.lang;
    let c = chart(&props.weeks);
    let bars = c.bars.iter().map(|b| {
        let title = format!(
            "{} {}: {} {}",
            Text::WeekOf.in_lang(lang),
            c.labels[b.week].1,
            series_text(b.series).in_lang(lang),
            b.value
        );
        html! {
            <rect class={classes!("bar", b.series.class())} x={b.x.to_string()} y={b.y.to_string()}
                width={b.width.to_string()} height={b.height.to_string()} data-value={b.value.to_string()}>
                <title>{ title }</title>
            </rect>
        }
    });
    let labels = c.labels.iter().map(|(x, label)| {
        html! {
            <text class="week" x={x.to_string()} y={(c.base + 18.0).to_string()} text-anchor="middle">{ label }</text>
        }
    });
    let top = c.top;
    let legend = Series::ALL.into_iter().map(|s| {
        html! {
            <li><span class={classes!("mark", s.class())}></span>{ series_text(s).in_lang(lang) }</li>
        }
    });
    html! {
        <figure class="week-chart">
            <figcaption id="chart-title">{ Text::ChartTitle.in_lang(lang) }</figcaption>
            <svg id="weekly-chart" role="img" aria-labelledby="chart-title" width={c.width.to_string()} height={c.height.to_string()}
                viewBox={format!("0 0 {} {}", c.width, c.height)}>
                <line class="axis" x1={c.left.to_string()} y1={c.base.to_string()} x2={c.width.to_string()} y2={c.base.to_string()} />
                <line class="axis" x1={c.left.to_string()} y1={top.to_string()} x2={c.left.to_string()} y2={c.base.to_string()} />
                <text class="scale" x={(c.left - 6.0).to_string()} y={(top + 5.0).to_string()} text-anchor="end">{ c.max }</text>
                <text class="scale" x={(c.left - 6.0).to_string()} y={c.base.to_string()} text-anchor="end">{ "0" }</text>
                { for bars }
                { for labels }
            </svg>
            <ul class="legend">{ for legend }</ul>
        </figure>
    }
}
