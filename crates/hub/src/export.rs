//! A dossier in the shape of the national sync message (the domain brief's "upstream data
//! shape"): Vietnamese field names, dates as `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh, files as URLs
//! on this hub (the hub holds every file before anything goes upstream).

use hoso_model::lifecycle::EventKind;
use hoso_model::sync::DossierRecord;
use hoso_model::time::to_local;
use jiff::Timestamp;
use serde_json::{Value, json};

/// The shipped catalogue, for procedure and component names.
const CATALOGUE: &str = include_str!("../../../catalogue/procedures.json");

fn national_date(at: Timestamp) -> String {
    to_local(at).strftime("%Y%m%d%H%M%S").to_string()
}

fn procedure(code: &str) -> Option<Value> {
    let catalogue: Value = serde_json::from_str(CATALOGUE).ok()?;
    catalogue["procedures"]
        .as_array()?
        .iter()
        .find(|p| p["code"] == code)
        .cloned()
}

/// The message for one dossier record; `files_url` is the hub's base URL for files
/// (`https://hub…/v1/files`).
pub fn national_message(record: &DossierRecord, files_url: &str) -> Value {
    let procedure = procedure(&record.procedure_code);
    let component_name = |n: u32| {
        procedure
            .as_ref()
            .and_then(|p| p["components"].get(n as usize - 1))
            .and_then(|c| c["name"].as_str())
            .unwrap_or("")
            .to_owned()
    };
    let url = |hash: &str| format!("{}/{hash}", files_url.trim_end_matches('/'));
    let finished = record
        .events
        .iter()
        .rev()
        .find(|e| {
            matches!(
                e.kind,
                EventKind::Back | EventKind::Resolve | EventKind::Refuse | EventKind::Stop
            )
        })
        .map(|e| national_date(e.at));
    let returned = record
        .events
        .iter()
        .rev()
        .find(|e| e.kind == EventKind::Return)
        .map(|e| national_date(e.at));
    let mut components: Vec<u32> = record.pages.iter().filter_map(|p| p.component).collect();
    components.dedup();
    let submitted: Vec<Value> = components
        .iter()
        .map(|n| {
            let files: Vec<Value> = record
                .pages
                .iter()
                .filter(|p| p.component == Some(*n))
                .map(|p| json!({ "DuongDanTaiTepTin": url(&p.sha256), "TrangSo": p.position }))
                .collect();
            json!({
                "MaThanhPhanHoSo": n,
                "TenThanhPhanHoSo": component_name(*n),
                "DuocSoHoa": true,
                "DuocTaiSuDung": false,
                "TepDinhKem": files,
            })
        })
        .collect();
    let results: Vec<Value> = record
        .pages
        .iter()
        .filter(|p| p.kind == "result")
        .map(|p| {
            json!({
                "SoKyHieu": p.result_code,
                "DuongDanTaiTepTin": url(&p.sha256),
                "TrangSo": p.position,
            })
        })
        .collect();
    let rounds: Vec<Value> = record
        .events
        .iter()
        .filter(|e| e.kind == EventKind::SupplementRequest)
        .map(|e| {
            let received = record
                .events
                .iter()
                .find(|r| r.kind == EventKind::SupplementReceived && r.at >= e.at)
                .map(|r| national_date(r.at));
            json!({
                "NgayYeuCauBoSung": national_date(e.at),
                "NoiDungYeuCauBoSung": e.reason,
                "NgayTiepNhanBoSung": received,
            })
        })
        .collect();
    json!({
        "MaHoSo": record.code,
        "MaTTHC": record.procedure_code,
        "TenTTHC": procedure.as_ref().and_then(|p| p["name"].as_str()),
        "KenhThucHien": record.channel.national_code(),
        "ChuHoSo": record.applicant_name,
        "SoGiayToChuHoSo": record.id_number,
        "SoDienThoai": record.phone,
        "Email": record.email,
        "TrichYeuHoSo": procedure.as_ref().and_then(|p| p["name"].as_str()),
        "NgayTiepNhan": national_date(record.received_at),
        "NgayHenTra": record.due_at.map(national_date),
        "TrangThaiHoSo": record.status.national_code(),
        "NgayKetThucXuLy": finished,
        "NgayTra": returned,
        "HoSoCoThanhPhanSoHoa": !submitted.is_empty(),
        "TaiLieuNop": submitted,
        "DanhSachGiayToKetQua": results,
        "DanhSachHoSoBoSung": rounds,
        "DanhSachLePhi": [],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoso_model::lifecycle::{Event, Status};
    use hoso_model::sync::PageRecord;
    use hoso_model::{Channel, DossierId};

    #[test]
    fn a_record_becomes_the_national_shape_with_local_dates_and_file_urls() {
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        let record = DossierRecord {
            id: DossierId("d1".into()),
            code: Some("H25.123-260305-1001".into()),
            procedure_code: "1.001193".into(),
            applicant_name: "Nguyễn Văn Đức".into(),
            id_number: None,
            phone: Some("0912345678".into()),
            address: None,
            email: None,
            channel: Channel::Direct,
            received_at: at("2026-03-05T02:00:00Z"),
            status: Status::Returned,
            due_at: Some(at("2026-03-05T10:00:00Z")),
            events: vec![
                Event::new(EventKind::Receive, at("2026-03-05T02:00:00Z")),
                Event::new(EventKind::Resolve, at("2026-03-05T08:00:00Z")),
                Event::new(EventKind::Return, at("2026-03-05T09:30:00Z")),
            ],
            pages: vec![PageRecord {
                id: "p1".into(),
                kind: "component".into(),
                component: Some(2),
                result_code: None,
                position: 1,
                sha256: "ab".repeat(32),
                pdf_page: None,
                rotation: 0,
                note_of: None,
            }],
            components: vec![],
        };
        let m = national_message(&record, "https://hub.example/v1/files");
        assert_eq!(m["MaHoSo"], "H25.123-260305-1001");
        assert_eq!(m["TenTTHC"], "Đăng ký khai sinh");
        assert_eq!(m["KenhThucHien"], 1);
        assert_eq!(m["TrangThaiHoSo"], 10);
        assert_eq!(m["NgayTiepNhan"], "20260305090000", "UTC+7");
        assert_eq!(m["NgayKetThucXuLy"], "20260305150000");
        assert_eq!(m["NgayTra"], "20260305163000");
        assert_eq!(m["TaiLieuNop"][0]["TenThanhPhanHoSo"], "Giấy chứng sinh");
        assert_eq!(
            m["TaiLieuNop"][0]["TepDinhKem"][0]["DuongDanTaiTepTin"],
            format!("https://hub.example/v1/files/{}", "ab".repeat(32))
        );
        assert_eq!(m["HoSoCoThanhPhanSoHoa"], true);
    }
}
