//! Every text a user reads, Vietnamese first, English second.
//!
//! The desktop frontend and the `hoso` command line both take their words from here, so a
//! label reads the same everywhere. To add a text: add a [`Text`] variant and its pair of
//! translations in [`Text::pair`]; the compiler then refuses to build until both exist.

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode, Field};
use crate::lifecycle::{EventKind, Status};

/// The languages of the interface. Vietnamese is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Vi,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Vi, Language::En];

    /// The BCP 47 tag, also the value stored in settings and put in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::Vi => "vi",
            Language::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(tag.trim()))
    }

    /// The language's own name, shown in the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::Vi => "Tiếng Việt",
            Language::En => "English",
        }
    }
}

/// A fixed text of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Text {
    AppName,
    NavIntake,
    NavDigitise,
    NavDossiers,
    NavSync,
    NavSupervise,
    NavSettings,
    IntakeTitle,
    IntakeHint,
    FieldProcedure,
    ChooseProcedure,
    FieldApplicantName,
    SaveDossier,
    Saving,
    DossierSaved,
    DossiersTitle,
    DossiersEmpty,
    ColumnReceived,
    ColumnProcedure,
    ColumnApplicant,
    ColumnCode,
    SearchHint,
    AllStatuses,
    NoMatch,
    ColumnStatus,
    ColumnDue,
    NoCode,
    UnitTitle,
    FieldUnitCode,
    FieldUnitName,
    FieldGoverningBody,
    FieldDeviceSlot,
    SaveUnit,
    UnitSaved,
    UnitMissing,
    Timeline,
    DuePreview,
    ComponentsTitle,
    FeeTitle,
    ShowOnly,
    Optional,
    Originals,
    Copies,
    PrintReceipt,
    PrintSupplement,
    PrintRefusal,
    PrintTrackingBook,
    PeriodFrom,
    PeriodTo,
    Actions,
    FieldReason,
    FieldGiver,
    FieldTaker,
    BackToList,
    LateByRule,
    NotInThisVersion,
    SettingsTitle,
    FieldLanguage,
    NetworkOnline,
    NetworkOffline,
    SyncNotSetUp,
    SyncTitle,
    SyncStateIdle,
    SyncStateWorking,
    SyncStateWaiting,
    SyncStatePaused,
    SyncStateStopped,
    SyncStateOff,
    SyncHub,
    SyncLastContact,
    SyncNever,
    SyncWaitingDossiers,
    SyncWaitingFiles,
    SyncSent,
    SyncQuarantined,
    SyncRetry,
    SyncPause,
    SyncResume,
    SyncNow,
    SyncEnrollTitle,
    SyncEnrollHub,
    SyncEnrollCode,
    SyncEnrollButton,
    SyncSkipped,
    SyncReasonOtherUnit,
    SyncReasonVersionConflict,
    SyncReasonInvalid,
    SyncReasonTooLarge,
    SyncReasonFileDamaged,
    SyncReasonForbidden,
    SyncReasonOther,
    SyncAudit,
    WebViewMissing,
    SyncAuditRefused,
    SyncReasonAuditFork,
    SyncReasonAuditChain,
    SyncReasonAuditUnsupported,
    SyncBadgeSynced,
    SyncBadgeWaiting,
    SyncBadgeQuarantined,
    Loading,
    ShortcutsHint,
    ErrorProcedure,
    ErrorApplicantName,
    ErrorLanguage,
    ErrorIdNumber,
    ErrorPhone,
    ErrorAddress,
    ErrorEmail,
    FieldIdNumber,
    FieldPhone,
    FieldAddress,
    FieldEmail,
    FieldChannel,
    ErrorUnitCode,
    ErrorUnitName,
    ErrorDeviceSlot,
    ErrorOfficeHours,
    FieldOfficeHours,
    ErrorEvent,
    ErrorReason,
    ErrorDate,
    ErrorCatalogue,
    ErrorFile,
    ErrorFileEmpty,
    ErrorFileUnsupported,
    ErrorFileDamaged,
    ErrorFileTooLarge,
    ErrorFileUnreadable,
    ErrorComponent,
    ErrorPage,
    ErrorScanner,
    ErrorScannerUnavailable,
    ErrorScannerBusy,
    ErrorFeederEmpty,
    ErrorScannerFault,
    ErrorScannerUnsupported,
    ErrorScanCancelled,
    ErrorNotEnrolled,
    ErrorHubUnreachable,
    ErrorEnrollmentRefused,
    ErrorHubCredential,
    ErrorClockOff,
    ErrorHubIncompatible,
    ErrorUnitMismatch,
    ErrorSignIn,
    ErrorForbidden,
    ErrorAccount,
    ErrorPassword,
    ErrorFullName,
    ErrorRole,
    ErrorRecoveryKey,
    ErrorBackup,
    ErrorReview,
    ErrorWrongPassword,
    ErrorDamagedKeySlot,
    ErrorAccountDisabled,
    ErrorWrongRecoveryKey,
    ErrorNotSetUp,
    ErrorAlreadySetUp,
    ErrorOtherDesk,
    ErrorAccountExists,
    ErrorLastAdmin,
    ErrorNothingToJoin,
    ErrorAlreadyPaired,
    RoleOfficer,
    RoleSupervisor,
    RoleAdmin,
    RecoveryKeyNotice,
    SignInTitle,
    SignInName,
    SignInPassword,
    SignInButton,
    SetUpTitle,
    SetUpIntro,
    SetUpName,
    SetUpFullName,
    SetUpPasswordAgain,
    SetUpButton,
    RecoverySaved,
    LockButton,
    ErrorHub,
    DigitiseTitle,
    DigitiseOpen,
    FieldDossierCode,
    StackMode,
    FieldScanner,
    NoScanner,
    FieldFeed,
    FeedFlatbed,
    FeedAdf,
    FeedDuplex,
    FieldMode,
    ModeColor,
    ModeGray,
    ModeLineart,
    FieldResolution,
    FieldTarget,
    TargetResults,
    ScanButton,
    Scanning,
    ExportPdf,
    Components,
    PagesWord,
    Missing,
    CountDiffers,
    OcrAllDone,
    FlagBlank,
    FlagLowResolution,
    FlagGreyForColour,
    FlagDuplicate,
    FlagLooksLike,
    PageEarlier,
    PageLater,
    PageRotate,
    PageDelete,
    PageJoinNote,
    PageSplitNote,
    SecondImage,
    DropHint,
    Close,
    NoPages,
    ErrorNotFound,
    ErrorOffline,
    ErrorConflict,
    ErrorInterrupted,
    ErrorStorage,
    ErrorInternal,
    BacklogTitle,
    FilterOfficer,
    FilterProcedure,
    FilterReceivedFrom,
    FilterReceivedTo,
    FilterApply,
    FilterClear,
    ColumnOfficer,
    ColumnNote,
    QueueEmpty,
    ApproveAllListed,
    ApprovedCount,
    BackToQueues,
    IndicatorsTitle,
    ColumnIndicator,
    ColumnMetCounted,
    ColumnRate,
    ColumnPoints,
    FieldBreakdown,
    BreakdownNone,
    BreakdownOfficer,
    BreakdownProcedure,
    ColumnReceivedCount,
    UnknownOfficer,
    JudgedAt,
    ScoringVersion,
    ShowIndicators,
    ChartTitle,
    ChartReceived,
    ChartOnTime,
    ChartLate,
    WeekOf,
    SaveReport,
    ReviewTitle,
    ReviewStateTitle,
    ReviewLog,
    ReviewLogEmpty,
    ReviewNote,
    ApproveButton,
    ReturnButton,
    DecisionSaved,
    ReworkHint,
    ReworkEmpty,
    ResubmitButton,
    PageShown,
    ChoosePage,
    AccountsTitle,
    ColumnRole,
    AccountActive,
    AccountDisabled,
    AddAccountTitle,
    AddAccountButton,
    AccountAdded,
    DisableAccount,
    ChangeRole,
    ResetPassword,
    NewPassword,
    AccountUpdated,
    ChangePasswordTitle,
    CurrentPassword,
    ChangePasswordButton,
    PasswordChanged,
    PasswordsDiffer,
    AuditTitle,
    FieldActor,
    FieldAuditAction,
    AnyAction,
    FieldLimit,
    ShowAudit,
    ColumnAt,
    ColumnObject,
    ColumnDetail,
    AuditEmpty,
    VerifyAudit,
    AuditIntact,
    AuditBroken,
    SafeguardsTitle,
    BackupFolder,
    BackupButton,
    BackupDone,
    RetentionDays,
    SaveRetention,
    RetentionSaved,
    PurgeDryRun,
    PurgeWouldRemove,
    PurgeConfirm,
    PurgeDone,
    CancelButton,
    SyncAfterApproval,
    SettingSaved,
    RestoreTitle,
    RestoreFolder,
    RecoveryKeyField,
    RestoreButton,
    RestoreHint,
    ErrorRetentionDays,
}

impl Text {
    /// The (Vietnamese, English) pair.
    fn pair(self) -> (&'static str, &'static str) {
        use Text::*;
        match self {
            AppName => ("Hồ Sơ Số", "Hồ Sơ Số"),
            NavIntake => ("Tiếp nhận", "Intake"),
            NavDigitise => ("Số hoá", "Digitise"),
            NavDossiers => ("Hồ sơ", "Dossiers"),
            NavSync => ("Đồng bộ", "Sync"),
            NavSupervise => ("Giám sát", "Supervise"),
            NavSettings => ("Cài đặt", "Settings"),
            IntakeTitle => ("Tiếp nhận hồ sơ mới", "Register a new dossier"),
            IntakeHint => (
                "Chọn thủ tục, nhập họ tên người nộp rồi nhấn Enter để lưu.",
                "Choose the procedure, type the applicant's name, then press Enter to save.",
            ),
            FieldProcedure => ("Thủ tục", "Procedure"),
            ChooseProcedure => ("— Chọn thủ tục —", "— Choose a procedure —"),
            FieldApplicantName => ("Họ và tên người nộp", "Applicant's full name"),
            SaveDossier => ("Lưu hồ sơ", "Save dossier"),
            Saving => ("Đang lưu…", "Saving…"),
            DossierSaved => ("Đã lưu hồ sơ.", "Dossier saved."),
            DossiersTitle => ("Danh sách hồ sơ", "Dossiers"),
            DossiersEmpty => (
                "Chưa có hồ sơ nào trên máy này.",
                "No dossiers on this desk yet.",
            ),
            ColumnReceived => ("Tiếp nhận lúc", "Received"),
            ColumnProcedure => ("Thủ tục", "Procedure"),
            ColumnApplicant => ("Người nộp", "Applicant"),
            ColumnCode => ("Mã hồ sơ", "Dossier code"),
            ColumnStatus => ("Trạng thái", "Status"),
            NoMatch => ("Không tìm thấy hồ sơ nào.", "No dossier matches."),
            AllStatuses => ("Mọi trạng thái", "All statuses"),
            SearchHint => (
                "Tìm theo mã, họ tên (gõ có dấu hay không dấu đều được), số CCCD, điện thoại…",
                "Search by code, name (with or without diacritics), ID number, phone…",
            ),
            ColumnDue => ("Hẹn trả", "Due"),
            NoCode => ("chưa có mã", "no code yet"),
            UnitTitle => ("Đơn vị tiếp nhận", "Receiving unit"),
            FieldUnitCode => ("Mã định danh đơn vị", "Unit identifier"),
            FieldUnitName => ("Tên đơn vị", "Unit name"),
            FieldGoverningBody => ("Cơ quan chủ quản", "Governing body"),
            FieldDeviceSlot => (
                "Số máy trong đơn vị (0–9)",
                "This desk's slot in the unit (0–9)",
            ),
            SaveUnit => ("Lưu thông tin đơn vị", "Save unit"),
            UnitSaved => ("Đã lưu thông tin đơn vị.", "Unit saved."),
            UnitMissing => (
                "Chưa khai báo đơn vị nên hồ sơ mới chưa có mã hồ sơ. Khai báo tại Cài đặt (Alt+6).",
                "No unit is set up, so new dossiers get no dossier code. Set it up in Settings (Alt+6).",
            ),
            Timeline => ("Quá trình xử lý", "Timeline"),
            PrintReceipt => ("In giấy tiếp nhận (mẫu 01)", "Print receipt (form 01)"),
            PrintSupplement => (
                "In phiếu yêu cầu bổ sung (mẫu 02)",
                "Print request to supplement (form 02)",
            ),
            PrintTrackingBook => (
                "In sổ theo dõi hồ sơ (mẫu 07)",
                "Print the tracking book (form 07)",
            ),
            PeriodFrom => ("Từ ngày", "From"),
            PeriodTo => ("Đến ngày", "To"),
            PrintRefusal => ("In phiếu từ chối (mẫu 03)", "Print refusal (form 03)"),
            DuePreview => ("Hẹn trả nếu tiếp nhận ngay bây giờ", "Due if received now"),
            ComponentsTitle => ("Thành phần hồ sơ", "Documents to collect"),
            FeeTitle => ("Phí, lệ phí", "Fee"),
            ShowOnly => ("chỉ xuất trình", "shown only"),
            Optional => ("không bắt buộc", "optional"),
            Originals => ("bản chính", "originals"),
            Copies => ("bản sao", "copies"),
            Actions => ("Thao tác", "Actions"),
            FieldReason => (
                "Lý do (bắt buộc khi từ chối hoặc dừng)",
                "Reason (required to refuse or stop)",
            ),
            FieldGiver => ("Người giao (khi chuyển, nhận kết quả)", "Handed over by"),
            FieldTaker => ("Người nhận", "Taken by"),
            BackToList => ("← Danh sách hồ sơ", "← All dossiers"),
            LateByRule => (
                "Đã yêu cầu bổ sung quá một lần: hồ sơ bị tính trễ hạn.",
                "Supplement requested more than once: the dossier counts as late.",
            ),
            NotInThisVersion => (
                "Chức năng này chưa có trong phiên bản này.",
                "This feature is not in this version yet.",
            ),
            SettingsTitle => ("Cài đặt", "Settings"),
            FieldLanguage => ("Ngôn ngữ giao diện", "Interface language"),
            NetworkOnline => ("Có mạng", "Online"),
            NetworkOffline => (
                "Mất mạng — vẫn làm việc bình thường",
                "Offline — work goes on",
            ),
            SyncNotSetUp => ("Đồng bộ: chưa kết nối máy chủ", "Sync: no hub set up"),
            SyncTitle => ("Đồng bộ với máy chủ", "Sync with the hub"),
            SyncStateIdle => ("Đã gửi hết", "Everything is sent"),
            SyncStateWorking => ("Đang gửi…", "Sending…"),
            SyncStateWaiting => (
                "Chưa có mạng tới máy chủ; sẽ thử lại lúc",
                "The hub cannot be reached; next try at",
            ),
            SyncStatePaused => ("Đã tạm dừng gửi", "Sending is paused"),
            SyncStateStopped => ("Đã dừng", "Stopped"),
            SyncStateOff => ("Chưa đăng ký với máy chủ", "Not enrolled with a hub"),
            SyncHub => ("Máy chủ", "Hub"),
            SyncLastContact => ("Liên lạc lần cuối", "Last contact"),
            SyncNever => ("chưa lần nào", "never"),
            SyncWaitingDossiers => ("Hồ sơ chờ gửi", "Dossiers waiting"),
            SyncWaitingFiles => ("Tệp chờ gửi", "Files waiting"),
            SyncSent => ("Đã gửi từ khi mở", "Sent since opened"),
            SyncQuarantined => ("Hồ sơ máy chủ chưa nhận", "Dossiers the hub refused"),
            SyncRetry => ("Thử lại", "Retry"),
            SyncPause => ("Tạm dừng", "Pause"),
            SyncResume => ("Tiếp tục gửi", "Resume"),
            SyncNow => ("Gửi ngay", "Send now"),
            SyncEnrollTitle => ("Đăng ký máy với máy chủ", "Enroll this desk with the hub"),
            SyncEnrollHub => ("Địa chỉ máy chủ", "Hub address"),
            SyncEnrollCode => ("Mã đăng ký", "Enrollment code"),
            SyncEnrollButton => ("Đăng ký", "Enroll"),
            SyncSkipped => (
                "Thay đổi từ máy chủ không áp dụng được",
                "Changes from the hub that could not be applied",
            ),
            SyncReasonOtherUnit => (
                "hồ sơ thuộc đơn vị khác",
                "the dossier belongs to another unit",
            ),
            SyncReasonVersionConflict => (
                "máy chủ đã có bản khác của lần sửa này",
                "the hub holds another content for this version",
            ),
            SyncReasonInvalid => (
                "dữ liệu hồ sơ không hợp lệ",
                "the dossier's record is not valid",
            ),
            SyncReasonTooLarge => (
                "tệp lớn hơn mức máy chủ nhận",
                "a file is larger than the hub accepts",
            ),
            SyncReasonFileDamaged => (
                "tệp trên máy bị hỏng hoặc mất",
                "a file on this desk is damaged or missing",
            ),
            SyncReasonForbidden => ("máy chủ không cho phép", "the hub does not allow it"),
            SyncReasonOther => ("lý do khác", "another reason"),
            WebViewMissing => (
                "Máy này chưa có Microsoft Edge WebView2 Runtime, phần mềm cần nó để mở cửa sổ. \
                 Windows 11 có sẵn; Windows 10 nhận được qua Windows Update. Nếu máy không có \
                 mạng, cán bộ tin học có thể cài bằng bộ cài ngoại tuyến của Microsoft \
                 (Evergreen Standalone Installer) mang theo USB.",
                "This computer does not have the Microsoft Edge WebView2 Runtime, which the \
                 program needs to open its window. Windows 11 ships it; Windows 10 gets it \
                 through Windows Update. Without a network, IT staff can install Microsoft's \
                 offline Evergreen Standalone Installer from a USB stick.",
            ),
            SyncAudit => ("Nhật ký thao tác chờ gửi", "Audit log entries waiting"),
            SyncAuditRefused => (
                "Máy chủ không nhận nhật ký thao tác",
                "The hub refuses the audit log",
            ),
            SyncReasonAuditFork => (
                "máy chủ giữ một nhật ký khác của máy này (máy được khôi phục từ bản sao lưu cũ, \
                 hoặc nhật ký đã bị sửa)",
                "the hub holds another log for this desk (restored from an older backup, or the \
                 log was altered)",
            ),
            SyncReasonAuditChain => (
                "chuỗi băm của nhật ký trên máy bị đứt",
                "the hash chain of this desk's log is broken",
            ),
            SyncReasonAuditUnsupported => (
                "máy chủ thuộc phiên bản cũ, chưa nhận nhật ký",
                "the hub is of an older version and takes no audit log",
            ),
            SyncBadgeSynced => ("Đã đồng bộ", "Synced"),
            SyncBadgeWaiting => ("Chờ gửi", "Waiting to be sent"),
            SyncBadgeQuarantined => ("Máy chủ chưa nhận", "Refused by the hub"),
            Loading => ("Đang tải…", "Loading…"),
            ShortcutsHint => (
                "Alt+1…6: chuyển màn hình · Ctrl+N: hồ sơ mới",
                "Alt+1…6: switch screen · Ctrl+N: new dossier",
            ),
            ErrorProcedure => (
                "Hãy chọn một thủ tục có trong danh mục.",
                "Choose a procedure from the catalogue.",
            ),
            ErrorApplicantName => (
                "Họ tên người nộp phải có từ 1 đến 100 ký tự.",
                "The applicant's name must be 1 to 100 characters long.",
            ),
            ErrorLanguage => (
                "Ngôn ngữ này chưa được hỗ trợ.",
                "This language is not supported.",
            ),
            ErrorIdNumber => (
                "Số CCCD gồm 12 chữ số (CMND cũ: 9 chữ số).",
                "An ID card number has 12 digits (older cards: 9).",
            ),
            ErrorPhone => (
                "Số điện thoại gồm số 0 và 9 hoặc 10 chữ số, ví dụ 0912 345 678.",
                "A phone number is 0 followed by 9 or 10 digits, e.g. 0912 345 678.",
            ),
            ErrorAddress => (
                "Địa chỉ tối đa 300 ký tự.",
                "An address has at most 300 characters.",
            ),
            ErrorEmail => (
                "Địa chỉ thư điện tử không đúng.",
                "This is not an email address.",
            ),
            FieldIdNumber => ("Số CCCD/CMND", "ID card number"),
            FieldPhone => ("Số điện thoại", "Phone"),
            FieldAddress => ("Địa chỉ", "Address"),
            FieldEmail => ("Thư điện tử", "Email"),
            FieldChannel => ("Kênh nộp", "Channel"),
            ErrorUnitCode => (
                "Mã đơn vị gồm chữ số, chữ in hoa và dấu chấm (tối đa 35 ký tự), ví dụ 000.00.25.H25 hoặc H25.123.",
                "A unit code has digits, capital letters and dots (at most 35), e.g. 000.00.25.H25 or H25.123.",
            ),
            ErrorUnitName => ("Hãy nhập tên đơn vị.", "Enter the unit's name."),
            ErrorOfficeHours => (
                "Giờ làm việc viết như 07:00-11:30, 13:30-17:00 (các buổi theo thứ tự, không chồng nhau).",
                "Write office hours like 07:00-11:30, 13:30-17:00 (sessions in order, not overlapping).",
            ),
            FieldOfficeHours => ("Giờ làm việc", "Office hours"),
            ErrorDeviceSlot => ("Số máy phải từ 0 đến 9.", "The desk slot must be 0 to 9."),
            ErrorEvent => (
                "Thao tác này không được phép ở trạng thái hiện tại của hồ sơ.",
                "This action is not allowed in the dossier's current state.",
            ),
            ErrorReason => ("Hãy ghi rõ lý do.", "Write down the reason."),
            ErrorDate => (
                "Ngày giờ không đúng định dạng, ví dụ 2026-02-13T16:10:00+07:00.",
                "The date and time are not in the expected form, e.g. 2026-02-13T16:10:00+07:00.",
            ),
            ErrorCatalogue => (
                "Tệp danh mục không hợp lệ hoặc cũ hơn danh mục đang dùng; không có gì thay đổi.",
                "The catalogue file is not valid or older than the one in use; nothing changed.",
            ),
            ErrorFile => (
                "Không nhận được tệp này; không có trang nào được thêm.",
                "This file was not taken; no page was added.",
            ),
            ErrorFileEmpty => (
                "Tệp rỗng (0 byte); không có trang nào được thêm.",
                "The file is empty (0 bytes); no page was added.",
            ),
            ErrorFileUnsupported => (
                "Tệp không phải ảnh JPEG, PNG, TIFF hay PDF (dù tên tệp nói gì); không có trang nào được thêm.",
                "The file is not a JPEG, PNG, TIFF or PDF (whatever its name says); no page was added.",
            ),
            ErrorFileDamaged => (
                "Tệp bị hỏng hoặc chưa chép hết; hãy quét hoặc chép lại. Không có trang nào được thêm.",
                "The file is damaged or cut short; scan or copy it again. No page was added.",
            ),
            ErrorFileTooLarge => (
                "Tệp quá lớn (quá 256 MB, quá 120 triệu điểm ảnh hoặc quá 1000 trang); không có trang nào được thêm.",
                "The file is too large (over 256 MB, 120 million pixels or 1000 pages); no page was added.",
            ),
            ErrorFileUnreadable => (
                "Không mở được tệp (không có, hoặc không có quyền đọc); không có trang nào được thêm.",
                "The file cannot be opened (missing, or not readable); no page was added.",
            ),
            ErrorComponent => (
                "Thủ tục này không có thành phần hồ sơ số đó.",
                "The procedure has no component with that number.",
            ),
            ErrorPage => (
                "Không có trang đó trong hồ sơ, hoặc không chuyển được đến vị trí đó.",
                "There is no such page in the dossier, or it cannot be moved there.",
            ),
            ErrorScanner => (
                "Máy quét hoặc cài đặt quét không hợp lệ.",
                "The scanner or its settings are not valid.",
            ),
            ErrorScannerUnavailable => (
                "Không kết nối được máy quét. Kiểm tra máy đã bật và cắm dây (hoặc cùng mạng).",
                "The scanner cannot be reached. Check it is on and plugged in (or on the network).",
            ),
            ErrorScannerBusy => (
                "Máy quét đang bận. Chờ một lát rồi quét lại.",
                "The scanner is busy. Wait a moment and scan again.",
            ),
            ErrorFeederEmpty => (
                "Khay nạp giấy không có giấy. Đặt giấy vào rồi quét lại.",
                "The document feeder is empty. Load the paper and scan again.",
            ),
            ErrorScannerFault => (
                "Máy quét báo lỗi (kẹt giấy, nắp mở…). Xử lý tại máy rồi quét lại; các trang đã quét được giữ.",
                "The scanner reported a fault (paper jam, open cover…). Clear it and scan again; pages already scanned are kept.",
            ),
            ErrorScannerUnsupported => (
                "Máy quét không hỗ trợ khay, chế độ màu hoặc độ phân giải đã chọn.",
                "The scanner does not offer the feed, colour mode or resolution chosen.",
            ),
            ErrorScanCancelled => (
                "Đã dừng quét; các trang đã quét được giữ.",
                "Scanning stopped; pages already scanned are kept.",
            ),
            ErrorNotEnrolled => (
                "Máy này chưa đăng ký với máy chủ tỉnh. Hãy nhập địa chỉ máy chủ và mã đăng ký do bộ phận CNTT cấp.",
                "This desk is not enrolled with the hub. Enter the hub's address and the enrollment code from IT.",
            ),
            ErrorHubUnreachable => (
                "Không kết nối được máy chủ. Công việc vẫn được lưu trên máy và sẽ tự gửi khi có mạng.",
                "The hub cannot be reached. Work is kept on this desk and sent when the network returns.",
            ),
            ErrorEnrollmentRefused => (
                "Máy chủ không chấp nhận mã đăng ký (sai, đã dùng hoặc hết hạn). Hãy xin mã mới.",
                "The hub refused the enrollment code (wrong, used or expired). Ask for a new code.",
            ),
            ErrorHubCredential => (
                "Máy chủ không còn chấp nhận máy này. Hãy liên hệ bộ phận CNTT để đăng ký lại.",
                "The hub no longer accepts this desk. Ask IT to enroll it again.",
            ),
            ErrorClockOff => (
                "Đồng hồ của máy lệch nhiều so với máy chủ. Hãy chỉnh ngày giờ của máy rồi thử lại.",
                "This computer's clock is far from the hub's. Set the date and time, then try again.",
            ),
            ErrorHubIncompatible => (
                "Máy chủ và phần mềm trên máy này không cùng phiên bản giao thức. Hãy cập nhật phần mềm.",
                "The hub and this desk speak different protocol versions. Update the software.",
            ),
            ErrorUnitMismatch => (
                "Mã đăng ký thuộc đơn vị khác với đơn vị đã cài đặt trên máy này.",
                "The enrollment code belongs to another unit than the one this desk is set up for.",
            ),
            ErrorHub => (
                "Địa chỉ máy chủ không hợp lệ.",
                "The hub's address is not valid.",
            ),
            DigitiseTitle => ("Số hoá hồ sơ", "Digitise a dossier"),
            DigitiseOpen => ("Số hoá (quét, đính kèm)", "Digitise (scan, attach)"),
            FieldDossierCode => ("Mã hồ sơ", "Dossier code"),
            StackMode => (
                "Cả chồng hồ sơ, chia theo phiếu có mã QR",
                "A whole stack, filed by its QR covers",
            ),
            FieldScanner => ("Máy quét", "Scanner"),
            NoScanner => ("Không tìm thấy máy quét nào", "No scanner found"),
            FieldFeed => ("Khay giấy", "Paper source"),
            FeedFlatbed => ("Mặt kính", "Flatbed"),
            FeedAdf => ("Khay nạp giấy", "Feeder"),
            FeedDuplex => ("Khay nạp, hai mặt", "Feeder, both sides"),
            FieldMode => ("Chế độ màu", "Colour mode"),
            ModeColor => ("Màu", "Colour"),
            ModeGray => ("Xám", "Grey"),
            ModeLineart => ("Đen trắng", "Black and white"),
            FieldResolution => ("Độ phân giải (dpi)", "Resolution (dpi)"),
            FieldTarget => ("Quét vào", "Scan into"),
            TargetResults => ("Kết quả (đầu ra)", "Results"),
            ScanButton => ("Quét (F8)", "Scan (F8)"),
            Scanning => ("Đang quét…", "Scanning…"),
            ExportPdf => ("Xuất PDF hồ sơ", "Export dossier PDF"),
            Components => ("Thành phần hồ sơ", "Components"),
            PagesWord => ("trang", "pages"),
            Missing => ("còn thiếu", "missing"),
            CountDiffers => ("khác số trang đã đếm", "differs from the count"),
            OcrAllDone => (
                "Đã nhận dạng chữ mọi trang",
                "Text recognised on every page",
            ),
            FlagBlank => ("Trang trắng", "Blank"),
            FlagLowResolution => ("Độ phân giải thấp", "Low resolution"),
            FlagGreyForColour => ("Bản xám, cần bản màu", "Grey, colour needed"),
            FlagDuplicate => ("Trùng trang đã có", "Duplicate page"),
            FlagLooksLike => ("Giống trang đã có", "Looks like another page"),
            PageEarlier => ("◀ Lên trước", "◀ Earlier"),
            PageLater => ("Ra sau ▶", "Later ▶"),
            PageRotate => ("⟳ Xoay", "⟳ Turn"),
            PageDelete => ("✕ Xoá", "✕ Delete"),
            PageJoinNote => (
                "📎 Ảnh thứ hai của trang trước (tờ có giấy ghi chú)",
                "📎 Second image of the page before (a sheet with a sticky note)",
            ),
            PageSplitNote => ("✂ Tách thành trang riêng", "✂ Make it a page of its own"),
            SecondImage => ("ảnh 2", "2nd image"),
            DropHint => (
                "Kéo trang vào một thành phần hoặc kết quả để chuyển sang đó; kéo tệp từ thư mục vào để đính kèm.",
                "Drag a page onto a component or the results to move it there; drag files from a folder to attach them.",
            ),
            Close => ("Đóng", "Close"),
            NoPages => (
                "Chưa có trang nào. Đặt giấy vào máy quét rồi bấm Quét.",
                "No page yet. Load the paper and press Scan.",
            ),
            ErrorSignIn => ("Cần đăng nhập để tiếp tục.", "Sign in to go on."),
            ErrorForbidden => (
                "Tài khoản của bạn không được làm việc này. Hãy nhờ lãnh đạo hoặc quản trị viên.",
                "Your account may not do this. Ask a supervisor or the administrator.",
            ),
            ErrorAccount => (
                "Tên đăng nhập gồm 2–32 chữ thường không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang, bắt đầu bằng chữ.",
                "A sign-in name is 2–32 lower-case letters without accents, digits, '.', '_' or '-', starting with a letter.",
            ),
            ErrorPassword => (
                "Mật khẩu phải có ít nhất 8 ký tự.",
                "A password has at least 8 characters.",
            ),
            ErrorFullName => (
                "Hãy nhập họ và tên (tối đa 100 ký tự).",
                "Enter the full name (at most 100 characters).",
            ),
            ErrorRole => (
                "Vai trò không hợp lệ: cán bộ, lãnh đạo hoặc quản trị viên.",
                "Unknown role: officer, supervisor or administrator.",
            ),
            ErrorRecoveryKey => (
                "Mã khôi phục gồm 52 chữ và số (13 nhóm 4 ký tự). Hãy kiểm tra lại.",
                "A recovery key is 52 letters and digits (13 groups of 4). Check it again.",
            ),
            ErrorBackup => (
                "Không đọc hoặc ghi được bản sao lưu ở thư mục đã chọn.",
                "The backup in the chosen folder cannot be read or written.",
            ),
            ErrorReview => (
                "Không thực hiện được quyết định này lúc này (hồ sơ đã ở trạng thái đó), hoặc thiếu ghi chú khi trả lại.",
                "This decision cannot be taken now (the dossier is already there), or a return has no note.",
            ),
            ErrorWrongPassword => (
                "Sai tên đăng nhập hoặc mật khẩu.",
                "Wrong sign-in name or password.",
            ),
            ErrorDamagedKeySlot => (
                "Khoá của tài khoản này trên máy bị hỏng. Hãy dùng mã khôi phục để đặt lại mật khẩu; dữ liệu không bị mất.",
                "This account's key on the desk is damaged. Use the recovery key to set a new password; no data is lost.",
            ),
            ErrorAccountDisabled => (
                "Tài khoản này đã bị khoá. Hãy liên hệ quản trị viên.",
                "This account was disabled. Contact the administrator.",
            ),
            ErrorWrongRecoveryKey => (
                "Mã khôi phục không mở được dữ liệu của máy này.",
                "The recovery key does not open this desk's data.",
            ),
            ErrorNotSetUp => (
                "Máy chưa được thiết lập. Hãy tạo tài khoản quản trị đầu tiên.",
                "The desk is not set up yet. Create the first administrator.",
            ),
            ErrorAlreadySetUp => (
                "Máy đã được thiết lập rồi; không có gì bị thay đổi.",
                "The desk is set up already; nothing was changed.",
            ),
            ErrorOtherDesk => (
                "Bản sao lưu này thuộc máy hoặc đơn vị khác; không có gì bị thay đổi.",
                "This backup belongs to another desk or unit; nothing was changed.",
            ),
            ErrorAccountExists => ("Tên đăng nhập này đã có.", "That sign-in name is taken."),
            ErrorLastAdmin => (
                "Không thể khoá hoặc hạ quyền quản trị viên cuối cùng.",
                "The last administrator cannot be disabled or demoted.",
            ),
            ErrorNothingToJoin => (
                "Trang này không có trang nào trước nó trong thành phần để ghép làm ảnh thứ hai (hoặc nó không phải ảnh thứ hai).",
                "This page has no page before it in its component to become the second image of (or it is no second image).",
            ),
            ErrorAlreadyPaired => (
                "Trang đã có ảnh thứ hai, hoặc chính nó là ảnh thứ hai của một trang.",
                "The page already has its second image, or is itself the second image of a page.",
            ),
            RecoveryKeyNotice => (
                "Mã khôi phục của máy này (chỉ hiện một lần). Hãy in hoặc chép lại và cất ở nơi an toàn: đây là cách duy nhất mở lại dữ liệu khi quên mọi mật khẩu.",
                "This desk's recovery key (shown once). Print or copy it and keep it safe: it is the only way back into the data if every password is lost.",
            ),
            SignInTitle => ("Đăng nhập", "Sign in"),
            SignInName => ("Tên đăng nhập", "Sign-in name"),
            SignInPassword => ("Mật khẩu", "Password"),
            SignInButton => ("Đăng nhập (Enter)", "Sign in (Enter)"),
            SetUpTitle => ("Thiết lập máy", "Set up this desk"),
            SetUpIntro => (
                "Tạo tài khoản quản trị đầu tiên. Dữ liệu trên máy được mã hoá; mật khẩu của bất kỳ tài khoản nào cũng mở được máy.",
                "Create the first administrator. The desk's data is encrypted; any account's password opens it.",
            ),
            SetUpName => (
                "Tên đăng nhập (chữ thường không dấu)",
                "Sign-in name (lower case, no accents)",
            ),
            SetUpFullName => ("Họ và tên", "Full name"),
            SetUpPasswordAgain => ("Nhập lại mật khẩu", "Password again"),
            SetUpButton => ("Tạo và mã hoá", "Create and encrypt"),
            RecoverySaved => (
                "Tôi đã in hoặc chép lại mã khôi phục",
                "I have printed or copied the recovery key",
            ),
            LockButton => (
                "Khoá / đổi cán bộ (Ctrl+L)",
                "Lock / switch officer (Ctrl+L)",
            ),
            RoleOfficer => ("Cán bộ tiếp nhận", "Officer"),
            RoleSupervisor => ("Lãnh đạo", "Supervisor"),
            RoleAdmin => ("Quản trị viên", "Administrator"),
            ErrorNotFound => (
                "Không tìm thấy dữ liệu cần mở.",
                "What you asked for was not found.",
            ),
            ErrorOffline => (
                "Chưa kết nối được máy chủ. Dữ liệu vẫn được giữ trên máy và sẽ gửi lại sau.",
                "The hub cannot be reached. The data stays on this desk and will be sent later.",
            ),
            ErrorConflict => (
                "Dữ liệu vừa bị thay đổi ở nơi khác. Hãy tải lại rồi thử lại.",
                "Someone changed this first. Reload and try again.",
            ),
            ErrorInterrupted => (
                "Thao tác bị dừng giữa chừng; không có gì bị ghi dở.",
                "The operation was stopped; nothing was half-written.",
            ),
            ErrorStorage => (
                "Không ghi hoặc đọc được kho dữ liệu trên máy (ổ đĩa đầy, hoặc dữ liệu của phiên bản mới hơn). Không có gì bị mất.",
                "The local store cannot be read or written (a full disk, or data from a newer version). Nothing was lost.",
            ),
            ErrorInternal => (
                "Lỗi trong chương trình. Dữ liệu đã lưu không bị ảnh hưởng; hãy báo cho bộ phận CNTT.",
                "A fault in the program. Saved data is safe; please tell IT staff.",
            ),
            BacklogTitle => ("Hồ sơ đang chờ xử lý", "Dossiers waiting"),
            FilterOfficer => (
                "Cán bộ tiếp nhận (tên đăng nhập)",
                "Receiving officer (sign-in name)",
            ),
            FilterProcedure => ("Mã thủ tục", "Procedure code"),
            FilterReceivedFrom => ("Tiếp nhận từ ngày", "Received from"),
            FilterReceivedTo => ("Tiếp nhận đến ngày", "Received until"),
            FilterApply => ("Lọc", "Filter"),
            FilterClear => ("Bỏ lọc", "Clear the filter"),
            ColumnOfficer => ("Cán bộ", "Officer"),
            ColumnNote => ("Ghi chú", "Note"),
            QueueEmpty => (
                "Không có hồ sơ nào trong danh sách này.",
                "No dossier in this list.",
            ),
            ApproveAllListed => ("Duyệt tất cả hồ sơ trong danh sách", "Approve all listed"),
            ApprovedCount => ("Số hồ sơ vừa được duyệt:", "Dossiers approved:"),
            BackToQueues => ("← Các danh sách chờ", "← All queues"),
            IndicatorsTitle => (
                "Chỉ số đánh giá (Quyết định 766/QĐ-TTg)",
                "Indicators (Decision 766/QĐ-TTg)",
            ),
            ColumnIndicator => ("Chỉ số", "Indicator"),
            ColumnMetCounted => ("Đạt / được tính", "Met / counted"),
            ColumnRate => ("Tỷ lệ", "Rate"),
            ColumnPoints => ("Điểm / tối đa", "Points / maximum"),
            FieldBreakdown => ("Xem chi tiết", "Break down"),
            BreakdownNone => ("Toàn đơn vị", "Whole unit only"),
            BreakdownOfficer => ("Theo từng cán bộ", "By officer"),
            BreakdownProcedure => ("Theo từng thủ tục", "By procedure"),
            ColumnReceivedCount => ("Hồ sơ tiếp nhận", "Dossiers received"),
            UnknownOfficer => ("(không rõ cán bộ)", "(no officer recorded)"),
            JudgedAt => ("Tính đến", "Judged at"),
            ScoringVersion => ("Thang điểm", "Scoring rules"),
            ShowIndicators => ("Tính chỉ số", "Compute"),
            ChartTitle => ("Hồ sơ theo tuần", "Dossiers per week"),
            ChartReceived => ("Tiếp nhận", "Received"),
            ChartOnTime => ("Đúng hạn", "On time"),
            ChartLate => ("Trễ hạn", "Late"),
            WeekOf => ("Tuần bắt đầu", "Week starting"),
            SaveReport => ("Lưu bảng tính báo cáo", "Save the report spreadsheet"),
            ReviewTitle => ("Duyệt kết quả số hoá", "Review of the digitisation"),
            ReviewStateTitle => ("Tình trạng duyệt", "Review state"),
            ReviewLog => ("Các lần duyệt", "Review log"),
            ReviewLogEmpty => ("Chưa có quyết định nào.", "No decision yet."),
            ReviewNote => (
                "Ghi chú cho cán bộ (bắt buộc khi trả lại)",
                "Note to the officer (needed to return)",
            ),
            ApproveButton => ("Duyệt", "Approve"),
            ReturnButton => ("Trả lại", "Return"),
            DecisionSaved => ("Đã ghi quyết định", "Decision recorded"),
            ReworkHint => (
                "Lãnh đạo đã trả lại các hồ sơ này kèm ghi chú. Sửa theo ghi chú rồi gửi duyệt lại.",
                "A supervisor returned these dossiers with a note. Fix what it says, then resubmit.",
            ),
            ReworkEmpty => (
                "Không có hồ sơ nào bị trả lại.",
                "No dossier was returned to you.",
            ),
            ResubmitButton => ("Đã sửa, gửi duyệt lại", "Fixed, resubmit"),
            PageShown => ("Trang đang xem", "Page shown"),
            ChoosePage => (
                "Chọn một trang để xem lớn.",
                "Choose a page to see it large.",
            ),
            AccountsTitle => ("Tài khoản", "Accounts"),
            ColumnRole => ("Vai trò", "Role"),
            AccountActive => ("Đang dùng", "Active"),
            AccountDisabled => ("Đã khoá", "Disabled"),
            AddAccountTitle => ("Thêm tài khoản", "Add an account"),
            AddAccountButton => ("Thêm tài khoản", "Add the account"),
            AccountAdded => ("Đã thêm tài khoản.", "Account added."),
            DisableAccount => ("Khoá tài khoản", "Disable"),
            ChangeRole => ("Đổi vai trò", "Change role"),
            ResetPassword => ("Đặt lại mật khẩu", "Reset password"),
            NewPassword => ("Mật khẩu mới", "New password"),
            AccountUpdated => ("Đã cập nhật tài khoản.", "Account updated."),
            ChangePasswordTitle => ("Đổi mật khẩu của tôi", "Change my password"),
            CurrentPassword => ("Mật khẩu hiện tại", "Current password"),
            ChangePasswordButton => ("Đổi mật khẩu", "Change password"),
            PasswordChanged => ("Đã đổi mật khẩu.", "Password changed."),
            PasswordsDiffer => (
                "Hai mật khẩu đã nhập không giống nhau.",
                "The two passwords differ.",
            ),
            AuditTitle => ("Nhật ký hệ thống", "Audit log"),
            FieldActor => ("Người thực hiện (tên đăng nhập)", "Actor (sign-in name)"),
            FieldAuditAction => ("Hành động", "Action"),
            AnyAction => ("— Mọi hành động —", "— Any action —"),
            FieldLimit => ("Số dòng tối đa", "At most (entries)"),
            ShowAudit => ("Xem nhật ký", "Show the log"),
            ColumnAt => ("Thời điểm", "When"),
            ColumnObject => ("Đối tượng", "Object"),
            ColumnDetail => ("Chi tiết", "Detail"),
            AuditEmpty => ("Không có mục nào phù hợp.", "No matching entries."),
            VerifyAudit => ("Kiểm tra tính toàn vẹn", "Verify the log's chain"),
            AuditIntact => (
                "Nhật ký nguyên vẹn; số mục đã kiểm tra:",
                "The log is intact; entries checked:",
            ),
            AuditBroken => (
                "Nhật ký đã bị sửa hoặc xoá, bắt đầu từ mục số",
                "The log was altered or cut, from entry no.",
            ),
            SafeguardsTitle => ("Sao lưu và lưu giữ", "Backups and retention"),
            BackupFolder => (
                "Thư mục đặt bản sao lưu (đường dẫn)",
                "Folder for the backup (path)",
            ),
            BackupButton => ("Sao lưu ngay", "Back up now"),
            BackupDone => ("Đã sao lưu vào thư mục:", "Backed up into the folder:"),
            RetentionDays => (
                "Thời hạn lưu giữ trên máy (ngày)",
                "Retention on this desk (days)",
            ),
            SaveRetention => ("Lưu thời hạn", "Save the period"),
            RetentionSaved => ("Đã lưu thời hạn lưu giữ.", "Retention period saved."),
            PurgeDryRun => ("Đếm hồ sơ có thể dọn", "Count what may be removed"),
            PurgeWouldRemove => (
                "Số hồ sơ đã hết hạn lưu giữ, máy chủ đã có, sẽ xoá khỏi máy này:",
                "Dossiers past retention, held by the hub, to remove from this desk:",
            ),
            PurgeConfirm => ("Xác nhận dọn", "Confirm the removal"),
            PurgeDone => ("Đã dọn — số hồ sơ, số tệp:", "Removed — dossiers, files:"),
            CancelButton => ("Huỷ", "Cancel"),
            SyncAfterApproval => (
                "Chỉ gửi hồ sơ lên máy chủ sau khi lãnh đạo duyệt",
                "Send dossiers to the hub only once a supervisor approved them",
            ),
            SettingSaved => ("Đã lưu.", "Saved."),
            RestoreTitle => ("Khôi phục từ bản sao lưu", "Restore from a backup"),
            RestoreFolder => (
                "Thư mục chứa bản sao lưu (đường dẫn)",
                "Folder holding the backup (path)",
            ),
            RecoveryKeyField => ("Mã khôi phục", "Recovery key"),
            RestoreButton => ("Khôi phục", "Restore"),
            RestoreHint => (
                "Khôi phục xong, bạn đăng nhập bằng tài khoản khôi phục; hãy đặt lại mật khẩu cho các tài khoản.",
                "Once restored, you are signed in for recovery: set the accounts' passwords again.",
            ),
            ErrorRetentionDays => (
                "Thời hạn lưu giữ là một số ngày nguyên, ít nhất là 1.",
                "A retention period is a whole number of days, at least 1.",
            ),
        }
    }

    pub fn in_lang(self, lang: Language) -> &'static str {
        let (vi, en) = self.pair();
        match lang {
            Language::Vi => vi,
            Language::En => en,
        }
    }
}

/// The text a user reads for an error: what went wrong and what to do, in their language.
pub fn error_text(lang: Language, err: &ApiError) -> &'static str {
    use crate::error::Problem;
    if let Some(problem) = err.problem {
        let text = match problem {
            Problem::FileEmpty => Text::ErrorFileEmpty,
            Problem::FileUnsupported => Text::ErrorFileUnsupported,
            Problem::FileDamaged => Text::ErrorFileDamaged,
            Problem::FileTooLarge => Text::ErrorFileTooLarge,
            Problem::FileUnreadable => Text::ErrorFileUnreadable,
            Problem::ScannerUnavailable => Text::ErrorScannerUnavailable,
            Problem::ScannerBusy => Text::ErrorScannerBusy,
            Problem::FeederEmpty => Text::ErrorFeederEmpty,
            Problem::ScannerFault => Text::ErrorScannerFault,
            Problem::ScannerUnsupported => Text::ErrorScannerUnsupported,
            Problem::ScanCancelled => Text::ErrorScanCancelled,
            Problem::NotEnrolled => Text::ErrorNotEnrolled,
            Problem::HubUnreachable => Text::ErrorHubUnreachable,
            Problem::EnrollmentRefused => Text::ErrorEnrollmentRefused,
            Problem::HubCredential => Text::ErrorHubCredential,
            Problem::ClockOff => Text::ErrorClockOff,
            Problem::HubIncompatible => Text::ErrorHubIncompatible,
            Problem::UnitMismatch => Text::ErrorUnitMismatch,
            Problem::WrongPassword => Text::ErrorWrongPassword,
            Problem::DamagedKeySlot => Text::ErrorDamagedKeySlot,
            Problem::AccountDisabled => Text::ErrorAccountDisabled,
            Problem::WrongRecoveryKey => Text::ErrorWrongRecoveryKey,
            Problem::NotSetUp => Text::ErrorNotSetUp,
            Problem::AlreadySetUp => Text::ErrorAlreadySetUp,
            Problem::OtherDesk => Text::ErrorOtherDesk,
            Problem::AccountExists => Text::ErrorAccountExists,
            Problem::LastAdmin => Text::ErrorLastAdmin,
            Problem::NothingToJoin => Text::ErrorNothingToJoin,
            Problem::AlreadyPaired => Text::ErrorAlreadyPaired,
        };
        return text.in_lang(lang);
    }
    let text = match (err.code, err.field) {
        (ErrorCode::Validation, Some(Field::Procedure)) => Text::ErrorProcedure,
        (ErrorCode::Validation, Some(Field::ApplicantName)) => Text::ErrorApplicantName,
        (ErrorCode::Validation, Some(Field::Language)) => Text::ErrorLanguage,
        (ErrorCode::Validation, Some(Field::IdNumber)) => Text::ErrorIdNumber,
        (ErrorCode::Validation, Some(Field::Phone)) => Text::ErrorPhone,
        (ErrorCode::Validation, Some(Field::Address)) => Text::ErrorAddress,
        (ErrorCode::Validation, Some(Field::Email)) => Text::ErrorEmail,
        (ErrorCode::Validation, Some(Field::UnitCode)) => Text::ErrorUnitCode,
        (ErrorCode::Validation, Some(Field::UnitName)) => Text::ErrorUnitName,
        (ErrorCode::Validation, Some(Field::DeviceSlot)) => Text::ErrorDeviceSlot,
        (ErrorCode::Validation, Some(Field::OfficeHours)) => Text::ErrorOfficeHours,
        (ErrorCode::Validation, Some(Field::Event)) => Text::ErrorEvent,
        (ErrorCode::Validation, Some(Field::Reason)) => Text::ErrorReason,
        (ErrorCode::Validation, Some(Field::Date)) => Text::ErrorDate,
        (ErrorCode::Validation, Some(Field::Catalogue)) => Text::ErrorCatalogue,
        (ErrorCode::Validation, Some(Field::File)) => Text::ErrorFile,
        (ErrorCode::Validation, Some(Field::Component)) => Text::ErrorComponent,
        (ErrorCode::Validation, Some(Field::Page)) => Text::ErrorPage,
        (ErrorCode::Validation, Some(Field::Scanner)) => Text::ErrorScanner,
        (ErrorCode::Validation, Some(Field::Hub)) => Text::ErrorHub,
        (ErrorCode::Validation, Some(Field::Account)) => Text::ErrorAccount,
        (ErrorCode::Validation, Some(Field::Password)) => Text::ErrorPassword,
        (ErrorCode::Validation, Some(Field::FullName)) => Text::ErrorFullName,
        (ErrorCode::Validation, Some(Field::Role)) => Text::ErrorRole,
        (ErrorCode::Validation, Some(Field::RecoveryKey)) => Text::ErrorRecoveryKey,
        (ErrorCode::Validation, Some(Field::Backup)) => Text::ErrorBackup,
        (ErrorCode::Validation, Some(Field::Review)) => Text::ErrorReview,
        (ErrorCode::SignIn, _) => Text::ErrorSignIn,
        (ErrorCode::Forbidden, _) => Text::ErrorForbidden,
        (ErrorCode::Validation, None) | (ErrorCode::Internal, _) => Text::ErrorInternal,
        (ErrorCode::NotFound, _) => Text::ErrorNotFound,
        (ErrorCode::Offline, _) => Text::ErrorOffline,
        (ErrorCode::Conflict, _) => Text::ErrorConflict,
        (ErrorCode::Interrupted, _) => Text::ErrorInterrupted,
        (ErrorCode::Storage, _) => Text::ErrorStorage,
    };
    text.in_lang(lang)
}

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

/// A size in bytes as people read it: `850 B`, `12 kB`, `3,4 MB` (Vietnamese writes a decimal
/// comma), `1.2 GB` in English.
pub fn size(lang: Language, bytes: u64) -> String {
    let (value, unit) = match bytes {
        0..1_000 => return format!("{bytes} B"),
        1_000..1_000_000 => (bytes as f64 / 1e3, "kB"),
        1_000_000..1_000_000_000 => (bytes as f64 / 1e6, "MB"),
        _ => (bytes as f64 / 1e9, "GB"),
    };
    let text = if value < 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    };
    let text = if lang == Language::Vi {
        text.replace('.', ",")
    } else {
        text
    };
    format!("{text} {unit}")
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

/// The text of a (Vietnamese, English) pair in `lang`.
pub fn pick(lang: Language, vi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Language::Vi => vi,
        Language::En => en,
    }
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

/// "Đã lưu kho dữ liệu cũ…": said once at start-up when an unreadable database was moved aside.
pub fn moved_aside_notice(lang: Language, kept_at: &str) -> String {
    match lang {
        Language::Vi => format!(
            "Tệp dữ liệu trên máy bị hỏng nên đã được cất nguyên vẹn sang {kept_at} và một kho mới được tạo. Hãy báo cho bộ phận CNTT; không có gì bị xoá."
        ),
        Language::En => format!(
            "The local data file was damaged, so it was kept untouched at {kept_at} and a new store was created. Please tell IT staff; nothing was deleted."
        ),
    }
}

/// Where a form was saved, and whether it was opened for printing.
pub fn form_saved(lang: Language, path: &str, opened: bool) -> String {
    match (lang, opened) {
        (Language::Vi, true) => format!("Đã lưu và mở để in: {path}"),
        (Language::Vi, false) => format!("Đã lưu: {path} — mở tệp này để in."),
        (Language::En, true) => format!("Saved and opened for printing: {path}"),
        (Language::En, false) => format!("Saved: {path} — open it to print."),
    }
}

/// A form saved and handed to the system's print dialog.
pub fn form_printed(lang: Language, path: &str) -> String {
    match lang {
        Language::Vi => format!("Đã lưu {path} và mở hộp thoại in."),
        Language::En => format!("Saved {path} and opened the print dialog."),
    }
}

/// "12 hồ sơ": a count of dossiers.
pub fn dossier_count(lang: Language, n: usize) -> String {
    match lang {
        Language::Vi => format!("{n} hồ sơ trên máy"),
        Language::En if n == 1 => "1 dossier on this desk".to_owned(),
        Language::En => format!("{n} dossiers on this desk"),
    }
}

/// "3 trang đang chờ nhận dạng chữ".
pub fn ocr_waiting(lang: Language, pages: u32) -> String {
    match lang {
        Language::Vi => format!("Đang nhận dạng chữ: {pages} trang chờ"),
        Language::En => format!("Recognising text: {pages} pages waiting"),
    }
}

/// "Đã quét 3 trang vào H25.123-260302-0001".
pub fn scan_done(lang: Language, pages: u32, dossiers: &[String]) -> String {
    match lang {
        Language::Vi => format!("Đã quét {pages} trang vào {}", dossiers.join(", ")),
        Language::En => format!("Scanned {pages} pages into {}", dossiers.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_round_trip_and_unknown_tags_are_refused() {
        for lang in Language::ALL {
            assert_eq!(Language::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(
            Language::from_tag(" EN "),
            Some(Language::En),
            "tags are matched loosely"
        );
        assert_eq!(Language::from_tag("fr"), None);
        assert_eq!(Language::default(), Language::Vi, "Vietnamese comes first");
    }

    #[test]
    fn every_validation_field_has_its_own_message() {
        let fields = [
            Field::Procedure,
            Field::ApplicantName,
            Field::IdNumber,
            Field::Phone,
            Field::Address,
            Field::Email,
            Field::Language,
            Field::UnitCode,
            Field::UnitName,
            Field::DeviceSlot,
            Field::OfficeHours,
            Field::Event,
            Field::Reason,
            Field::Date,
            Field::Catalogue,
        ];
        for lang in Language::ALL {
            let texts: std::collections::HashSet<_> = fields
                .iter()
                .map(|f| error_text(lang, &ApiError::validation(*f, "x")))
                .collect();
            assert_eq!(
                texts.len(),
                fields.len(),
                "{lang:?}: a field shares a message with another"
            );
        }
    }

    #[test]
    fn every_sync_reason_and_problem_has_its_own_words_in_both_languages() {
        let reasons = [
            "other_unit",
            "version_conflict",
            "invalid",
            "too_large",
            "file_damaged",
            "forbidden",
            "audit_fork",
            "audit_chain",
            "audit_unsupported",
        ];
        let problems = [
            "not_enrolled",
            "credential",
            "enrollment_code",
            "clock",
            "disk_full",
            "protocol",
        ];
        for lang in Language::ALL {
            let texts: std::collections::HashSet<_> =
                reasons.iter().map(|r| sync_reason(lang, r)).collect();
            assert_eq!(texts.len(), reasons.len(), "{lang:?}");
            assert!(!texts.contains(sync_reason(lang, "something new")));
            let texts: std::collections::HashSet<_> =
                problems.iter().map(|p| sync_problem(lang, p)).collect();
            assert_eq!(texts.len(), problems.len(), "{lang:?}");
        }
        assert_ne!(
            sync_reason(Language::Vi, "invalid"),
            sync_reason(Language::En, "invalid")
        );
    }

    #[test]
    fn every_audit_action_has_its_own_words_and_an_unknown_one_shows_as_it_is() {
        use crate::account::AuditAction;
        for lang in Language::ALL {
            let labels: std::collections::HashSet<_> = AuditAction::ALL
                .iter()
                .map(|a| audit_action_label(lang, a.name()))
                .collect();
            assert_eq!(labels.len(), AuditAction::ALL.len(), "{lang:?}");
            assert!(!labels.contains("change"), "{lang:?}: names are translated");
            assert_eq!(
                audit_action_label(lang, "from-a-later-version"),
                "from-a-later-version"
            );
        }
    }

    #[test]
    fn sizes_are_written_as_people_read_them() {
        assert_eq!(size(Language::En, 0), "0 B");
        assert_eq!(size(Language::En, 999), "999 B");
        assert_eq!(size(Language::En, 12_345), "12 kB");
        assert_eq!(size(Language::Vi, 3_400_000), "3,4 MB");
        assert_eq!(size(Language::En, 3_400_000), "3.4 MB");
        assert_eq!(size(Language::En, 2_147_483_648), "2.1 GB");
    }

    #[test]
    fn english_counts_agree_in_number() {
        assert_eq!(dossier_count(Language::En, 1), "1 dossier on this desk");
        assert_eq!(dossier_count(Language::En, 3), "3 dossiers on this desk");
        assert_eq!(dossier_count(Language::Vi, 3), "3 hồ sơ trên máy");
    }
}
