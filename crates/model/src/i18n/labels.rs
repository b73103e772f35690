//! Names of the domain's values as people read them: statuses, actions, roles, queues.

use super::{Language, Text, pick};
use crate::lifecycle::{EventKind, Status};

/// A role as people read it.
pub fn role_label(lang: Language, role: crate::account::Role) -> &'static str {
    use crate::account::Role;
    match role {
        Role::Officer => Text::RoleOfficer,
        Role::Supervisor => Text::RoleSupervisor,
        Role::Admin => Text::RoleAdmin,
    }
    .in_lang(lang)
}

/// Why the hub (or the desk) set a dossier aside, as the officer reads it.
pub fn sync_reason(lang: Language, reason: &str) -> &'static str {
    let text = match reason {
        "other_unit" => Text::SyncReasonOtherUnit,
        "version_conflict" => Text::SyncReasonVersionConflict,
        "invalid" => Text::SyncReasonInvalid,
        "too_large" => Text::SyncReasonTooLarge,
        "file_damaged" => Text::SyncReasonFileDamaged,
        "forbidden" => Text::SyncReasonForbidden,
        "audit_fork" => Text::SyncReasonAuditFork,
        "audit_chain" => Text::SyncReasonAuditChain,
        "audit_unsupported" => Text::SyncReasonAuditUnsupported,
        _ => Text::SyncReasonOther,
    };
    text.in_lang(lang)
}

/// What stops sync until someone acts (`GlobalProblem::name`), as the officer reads it.
pub fn sync_problem(lang: Language, problem: &str) -> &'static str {
    let text = match problem {
        "not_enrolled" => Text::ErrorNotEnrolled,
        "credential" => Text::ErrorHubCredential,
        "enrollment_code" => Text::ErrorEnrollmentRefused,
        "clock" => Text::ErrorClockOff,
        "disk_full" => Text::ErrorStorage,
        "protocol" => Text::ErrorHubIncompatible,
        "certificate_pin" => Text::ErrorCertificatePin,
        "certificate_ca" => Text::ErrorCertificateCa,
        _ => Text::ErrorInternal,
    };
    text.in_lang(lang)
}

/// The name of a channel.
pub fn channel_label(lang: Language, channel: crate::dossier::Channel) -> &'static str {
    use crate::dossier::Channel;
    let (vi, en) = match channel {
        Channel::Direct => ("Trực tiếp", "At the counter"),
        Channel::Online => ("Trực tuyến", "Online"),
        Channel::Post => ("Bưu chính", "By post"),
    };
    pick(lang, vi, en)
}

/// The name of a backlog queue.
pub fn queue_label(lang: Language, queue: crate::supervision::Queue) -> &'static str {
    use crate::supervision::Queue as Q;
    let (vi, en) = match queue {
        Q::NotDigitised => ("Đã tiếp nhận, chưa số hoá", "Received, not digitised"),
        Q::AwaitingReview => ("Đã số hoá, chờ duyệt", "Digitised, awaiting review"),
        Q::Rework => ("Trả lại để làm lại", "Returned for rework"),
        Q::SyncWaiting => ("Chờ đồng bộ", "Waiting to sync"),
        Q::SyncFailing => ("Đồng bộ lỗi, đang thử lại", "Sync failing, retrying"),
        Q::SyncQuarantined => ("Bị hệ thống cấp trên từ chối", "Refused by the hub"),
        Q::DueToday => ("Đến hạn hôm nay", "Due today"),
        Q::DueTomorrow => ("Đến hạn ngày mai", "Due tomorrow"),
        Q::Overdue => ("Quá hạn", "Overdue"),
        Q::ResultsNotDigitised => ("Kết quả chưa số hoá", "Results not digitised"),
        Q::SupplementPending => ("Chờ bổ sung", "Waiting for a supplement"),
    };
    pick(lang, vi, en)
}

/// The name of an indicator, with its number.
pub fn indicator_label(lang: Language, code: crate::supervision::IndicatorCode) -> &'static str {
    use crate::supervision::IndicatorCode as I;
    let (vi, en) = match code {
        I::SyncRate => ("1.4 Tỷ lệ hồ sơ đồng bộ", "1.4 Sync rate"),
        I::OnTime => ("2.1 Tỷ lệ giải quyết đúng hạn", "2.1 On-time rate"),
        I::ElectronicResult => (
            "4.1 Tỷ lệ cấp kết quả điện tử",
            "4.1 Electronic-result rate",
        ),
        I::Digitisation => ("4.2 Tỷ lệ số hoá hồ sơ", "4.2 Digitisation rate"),
        I::Reuse => ("4.3 Tỷ lệ tái sử dụng dữ liệu số hoá", "4.3 Reuse rate"),
        I::Satisfaction => ("5.4 Mức độ hài lòng", "5.4 Satisfaction"),
    };
    pick(lang, vi, en)
}

/// Where a dossier's review stands.
pub fn review_label(lang: Language, state: crate::supervision::ReviewState) -> &'static str {
    use crate::supervision::ReviewState as R;
    let (vi, en) = match state {
        R::Pending => ("Chờ duyệt", "Awaiting review"),
        R::Approved => ("Đã duyệt", "Approved"),
        R::Rework => ("Trả lại để làm lại", "Returned for rework"),
    };
    pick(lang, vi, en)
}

/// A review decision, as the log shows it.
pub fn decision_label(
    lang: Language,
    decision: crate::supervision::ReviewDecision,
) -> &'static str {
    use crate::supervision::ReviewDecision as D;
    let (vi, en) = match decision {
        D::Approve => ("Duyệt", "Approved"),
        D::Rework => ("Trả lại", "Returned"),
        D::Resubmit => ("Đã sửa, gửi duyệt lại", "Fixed, resubmitted"),
    };
    pick(lang, vi, en)
}

/// An audit log action, as the viewer shows it; a name this version does not know (from a later
/// one) is shown as it is.
pub fn audit_action_label(lang: Language, name: &str) -> &str {
    use crate::account::AuditAction as A;
    let Some(action) = A::from_name(name) else {
        return name;
    };
    let (vi, en) = match action {
        A::SetUp => ("Thiết lập máy", "Set-up"),
        A::SignIn => ("Đăng nhập", "Sign-in"),
        A::SignInFailed => ("Đăng nhập sai", "Failed sign-in"),
        A::SignOut => ("Đăng xuất", "Sign-out"),
        A::Recover => ("Khôi phục mật khẩu", "Recovery"),
        A::View => ("Xem", "View"),
        A::Search => ("Tìm kiếm", "Search"),
        A::Print => ("In", "Print"),
        A::Export => ("Xuất tệp", "Export"),
        A::Change => ("Thay đổi", "Change"),
        A::Delete => ("Xoá", "Delete"),
        A::Settings => ("Cài đặt", "Settings"),
        A::Account => ("Tài khoản", "Account"),
        A::Backup => ("Sao lưu", "Backup"),
        A::Restore => ("Khôi phục bản sao lưu", "Restore"),
        A::Purge => ("Dọn hồ sơ cũ", "Purge"),
        A::Review => ("Duyệt hồ sơ", "Review"),
    };
    pick(lang, vi, en)
}

/// A citizen's rating.
pub fn rating_label(lang: Language, rating: crate::supervision::Rating) -> &'static str {
    use crate::supervision::Rating as R;
    let (vi, en) = match rating {
        R::Satisfied => ("Hài lòng", "Satisfied"),
        R::Neutral => ("Bình thường", "Neutral"),
        R::Dissatisfied => ("Không hài lòng", "Not satisfied"),
    };
    pick(lang, vi, en)
}

/// The name of a status, as officers say it.
pub fn status_label(lang: Language, status: Status) -> &'static str {
    let (vi, en) = match status {
        Status::Draft => ("Nháp", "Draft"),
        Status::SubmittedOnline => ("Mới đăng ký trực tuyến", "Submitted online"),
        Status::Received => ("Đã tiếp nhận", "Received"),
        Status::Refused => ("Từ chối", "Refused"),
        Status::Processing => ("Đang xử lý", "Processing"),
        Status::SupplementRequested => ("Chờ bổ sung", "Awaiting supplement"),
        Status::PaymentRequested => ("Chờ nộp phí", "Awaiting payment"),
        Status::Withdrawn => ("Công dân rút", "Withdrawn"),
        Status::Stopped => ("Dừng xử lý", "Stopped"),
        Status::Resolved => ("Có kết quả", "Resolved"),
        Status::Returned => ("Đã trả kết quả", "Returned"),
    };
    pick(lang, vi, en)
}

/// The name of a lifecycle action, for buttons and the timeline.
pub fn event_label(lang: Language, event: EventKind) -> &'static str {
    let (vi, en) = match event {
        EventKind::Receive => ("Tiếp nhận", "Receive"),
        EventKind::Transfer => ("Chuyển xử lý", "Transfer to resolver"),
        EventKind::Back => ("Nhận kết quả về", "Result back"),
        EventKind::SupplementRequest => ("Yêu cầu bổ sung", "Request supplement"),
        EventKind::SupplementReceived => ("Đã nhận bổ sung", "Supplement received"),
        EventKind::Refuse => ("Từ chối", "Refuse"),
        EventKind::Withdraw => ("Công dân rút hồ sơ", "Withdraw"),
        EventKind::Stop => ("Dừng xử lý", "Stop"),
        EventKind::Resolve => ("Giải quyết tại chỗ", "Resolve here"),
        EventKind::Return => ("Trả kết quả", "Return to citizen"),
    };
    pick(lang, vi, en)
}
