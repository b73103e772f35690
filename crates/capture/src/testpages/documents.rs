//! The forms and the invented people on them: names, places, dates and identity numbers drawn
//! from a seed, filled into a birth registration, a request to certify copies and a marital
//! status declaration.

use super::DocumentKind;
use super::layout::{BODY_PT, Block};

pub(super) const FAMILY_NAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương",
];
pub(super) const MALE_MIDDLE: &[&str] =
    &["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Gia", "Xuân"];
pub(super) const FEMALE_MIDDLE: &[&str] =
    &["Thị", "Ngọc", "Thu", "Thanh", "Bảo", "Diệu", "Mỹ", "Khánh"];
pub(super) const MALE_GIVEN: &[&str] = &[
    "Hùng",
    "Dũng",
    "Tuấn",
    "Trường",
    "Đạt",
    "Hiếu",
    "Lộc",
    "Toàn",
    "Việt",
    "Hải",
    "Khôi",
    "Thắng",
    "Phước",
    "Quý",
];
pub(super) const FEMALE_GIVEN: &[&str] = &[
    "Hương",
    "Lan",
    "Phượng",
    "Nguyệt",
    "Quỳnh",
    "Thảo",
    "Yến",
    "Nhung",
    "Ánh",
    "Huyền",
    "Trâm",
    "Ngân",
    "Thủy",
    "Diễm",
];
/// (commune, province) pairs in the two-level administration.
pub(super) const COMMUNES: &[(&str, &str)] = &[
    ("Tân Phú", "Đắk Lắk"),
    ("Hòa Thắng", "Đắk Lắk"),
    ("Quảng Điền", "Huế"),
    ("Nghĩa Hưng", "Ninh Bình"),
    ("Diễn Châu", "Nghệ An"),
    ("Cẩm Xuyên", "Hà Tĩnh"),
    ("Triệu Phong", "Quảng Trị"),
    ("Đồng Hỷ", "Thái Nguyên"),
    ("Chợ Mới", "An Giang"),
    ("Trần Văn Thời", "Cà Mau"),
    ("Lâm Bình", "Tuyên Quang"),
    ("Đức Trọng", "Lâm Đồng"),
];
pub(super) const HAMLETS: &[&str] = &[
    "Thôn Đông Hòa",
    "Thôn Phú Lộc",
    "Xóm Bãi Sậy",
    "Ấp Phước Lợi",
    "Tổ dân phố số 5",
    "Buôn Ea Kmar",
    "Bản Nà Mèo",
    "Thôn Trung Thượng",
    "Khối phố Quyết Thắng",
];
pub(super) const ETHNICITIES: &[&str] = &[
    "Kinh", "Kinh", "Kinh", "Tày", "Thái", "Mường", "Ê Đê", "Khmer", "Nùng",
];
pub(super) const MONTH_NAMES: [&str; 12] = [
    "một",
    "hai",
    "ba",
    "tư",
    "năm",
    "sáu",
    "bảy",
    "tám",
    "chín",
    "mười",
    "mười một",
    "mười hai",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sex {
    Male,
    Female,
}

impl Sex {
    fn label(self) -> &'static str {
        match self {
            Sex::Male => "Nam",
            Sex::Female => "Nữ",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Date {
    day: u32,
    month: u32,
    year: u32,
}

impl Date {
    fn random(rng: &mut fastrand::Rng, years: std::ops::RangeInclusive<u32>) -> Self {
        Date {
            day: rng.u32(1..=28),
            month: rng.u32(1..=12),
            year: rng.u32(years),
        }
    }

    /// `14/03/2025`, as dates are written in form fields.
    fn numeric(self) -> String {
        format!("{:02}/{:02}/{}", self.day, self.month, self.year)
    }

    /// `ngày 05 tháng 03 năm 2026`, as in the place-and-date line above a signature.
    fn long(self) -> String {
        format!(
            "ngày {:02} tháng {:02} năm {}",
            self.day, self.month, self.year
        )
    }

    /// The date in words, which a birth registration requires beside the digits.
    fn words(self) -> String {
        let month = MONTH_NAMES[(self.month as usize).saturating_sub(1).min(11)];
        format!(
            "Ngày {} tháng {} năm {}",
            number_words(self.day),
            month,
            number_words(self.year)
        )
    }
}

/// A number below ten thousand in Vietnamese words: 2025 is "hai nghìn không trăm hai mươi
/// lăm", 2005 "hai nghìn không trăm linh năm", 21 "hai mươi mốt".
pub(super) fn number_words(n: u32) -> String {
    const DIGITS: [&str; 10] = [
        "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
    ];
    let (thousands, hundreds, tens, units) = (n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10);
    let mut words: Vec<&str> = Vec::new();
    if thousands > 0 {
        words.extend([DIGITS[thousands as usize], "nghìn"]);
    }
    let rest = n % 100;
    if hundreds > 0 || (thousands > 0 && rest > 0) {
        words.extend([DIGITS[hundreds as usize], "trăm"]);
    }
    let higher = !words.is_empty();
    match (tens, units) {
        (0, 0) if higher => {}
        (0, u) if higher => words.extend(["linh", DIGITS[u as usize]]),
        (0, u) => words.push(DIGITS[u as usize]),
        (1, u) => {
            words.push("mười");
            match u {
                0 => {}
                5 => words.push("lăm"),
                u => words.push(DIGITS[u as usize]),
            }
        }
        (t, u) => {
            words.extend([DIGITS[t as usize], "mươi"]);
            match u {
                0 => {}
                1 => words.push("mốt"),
                4 => words.push("tư"),
                5 => words.push("lăm"),
                u => words.push(DIGITS[u as usize]),
            }
        }
    }
    words.join(" ")
}

pub(super) fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

/// An invented resident: name, birth date, address and identity number.
#[derive(Debug, Clone)]
pub(super) struct Person {
    name: String,
    sex: Sex,
    born: Date,
    ethnicity: &'static str,
    hamlet: &'static str,
    commune: (&'static str, &'static str),
    id_number: String,
}

impl Person {
    fn random(rng: &mut fastrand::Rng, sex: Sex, years: std::ops::RangeInclusive<u32>) -> Self {
        let (middle, given) = match sex {
            Sex::Male => (MALE_MIDDLE, MALE_GIVEN),
            Sex::Female => (FEMALE_MIDDLE, FEMALE_GIVEN),
        };
        let name = format!(
            "{} {} {}",
            pick(rng, FAMILY_NAMES),
            pick(rng, middle),
            pick(rng, given)
        );
        let born = Date::random(rng, years);
        let commune = COMMUNES[rng.usize(..COMMUNES.len())];
        Person {
            name,
            sex,
            born,
            ethnicity: pick(rng, ETHNICITIES),
            hamlet: pick(rng, HAMLETS),
            commune,
            id_number: id_number(rng, sex, born.year),
        }
    }

    fn address(&self) -> String {
        format!(
            "{}, xã {}, tỉnh {}",
            self.hamlet, self.commune.0, self.commune.1
        )
    }

    /// The identity document line of a form.
    fn identity(&self, rng: &mut fastrand::Rng) -> String {
        let issued = Date::random(rng, 2021..=2025);
        format!(
            "Giấy tờ tùy thân: Căn cước số {}, cấp ngày {}, nơi cấp: Bộ Công an",
            self.id_number,
            issued.numeric()
        )
    }
}

/// A twelve-digit personal identification number shaped like the real ones: province code,
/// a digit for sex and century, the birth year's last two digits, six random digits.
pub(super) fn id_number(rng: &mut fastrand::Rng, sex: Sex, year: u32) -> String {
    let province = rng.u32(1..=96);
    let century = u32::from(year >= 2000) * 2 + u32::from(sex == Sex::Female);
    format!(
        "{province:03}{century}{:02}{:06}",
        year % 100,
        rng.u32(..1_000_000)
    )
}

/// The national header every form starts with.
pub(super) fn national_header() -> Vec<Block> {
    let mut motto = Block::centred("Độc lập - Tự do - Hạnh phúc", true, BODY_PT);
    motto.rule_below = true;
    vec![
        Block::centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true, BODY_PT),
        motto,
    ]
}

pub(super) fn title(text: &str, commune: (&str, &str)) -> Vec<Block> {
    vec![
        Block::centred(text, true, 14.0).space(0.8),
        Block::centred(
            format!(
                "Kính gửi: Ủy ban nhân dân xã {}, tỉnh {}",
                commune.0, commune.1
            ),
            false,
            BODY_PT,
        )
        .space(0.4),
    ]
}

/// The place-and-date line and the signature block that close every form.
pub(super) fn signature(place: &str, today: Date, signer: &str) -> Vec<Block> {
    vec![
        Block::signature(format!("{place}, {}", today.long()), false).space(0.6),
        Block::signature("Người yêu cầu", true),
        Block::signature("(Ký, ghi rõ họ, chữ đệm, tên)", false),
        Block::signature(signer, false).space(2.2),
    ]
}

pub(super) fn compose(kind: DocumentKind, rng: &mut fastrand::Rng) -> Vec<Block> {
    match kind {
        DocumentKind::BirthRegistration => birth_registration(rng),
        DocumentKind::CertificationRequest => certification_request(rng),
        DocumentKind::MaritalStatus => marital_status(rng),
    }
}

pub(super) fn birth_registration(rng: &mut fastrand::Rng) -> Vec<Block> {
    let mother = Person::random(rng, Sex::Female, 1988..=2003);
    let mut father = Person::random(rng, Sex::Male, 1985..=2001);
    father.hamlet = mother.hamlet;
    father.commune = mother.commune;
    let child_sex = if rng.bool() { Sex::Male } else { Sex::Female };
    let mut child = Person::random(rng, child_sex, 2025..=2025);
    let family = father.name.split(' ').next().unwrap_or("Nguyễn");
    child.name = format!(
        "{family} {}",
        child.name.split_once(' ').map_or("", |(_, rest)| rest)
    );
    let requester = if rng.bool() { &father } else { &mother };
    let relation = if requester.sex == Sex::Male {
        "Cha"
    } else {
        "Mẹ"
    };
    let birthplace = if rng.bool() {
        format!(
            "Trạm Y tế xã {}, tỉnh {}",
            mother.commune.0, mother.commune.1
        )
    } else {
        format!("Bệnh viện Đa khoa tỉnh {}", mother.commune.1)
    };
    let today = Date::random(rng, 2026..=2026);

    let mut blocks = national_header();
    blocks.extend(title("TỜ KHAI ĐĂNG KÝ KHAI SINH", mother.commune));
    blocks.extend([
        Block::field(format!(
            "Họ, chữ đệm, tên người yêu cầu: {}",
            requester.name
        ))
        .space(0.5),
        Block::field(format!("Nơi cư trú: {}", requester.address())),
        Block::field(requester.identity(rng)),
        Block::field(format!("Quan hệ với người được khai sinh: {relation}")),
        Block::field("Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:").space(0.3),
        Block::field(format!("Họ, chữ đệm, tên: {}", child.name.to_uppercase())),
        Block::field(format!(
            "Ngày, tháng, năm sinh: {}, ghi bằng chữ: {}",
            child.born.numeric(),
            child.born.words()
        )),
        Block::field(format!(
            "Giới tính: {}     Dân tộc: {}     Quốc tịch: Việt Nam",
            child.sex.label(),
            mother.ethnicity
        )),
        Block::field(format!("Nơi sinh: {birthplace}")),
        Block::field(format!(
            "Quê quán: xã {}, tỉnh {}",
            father.commune.0, father.commune.1
        )),
        Block::field(format!("Họ, chữ đệm, tên người mẹ: {}", mother.name)).space(0.3),
        Block::field(format!(
            "Năm sinh: {}     Dân tộc: {}     Quốc tịch: Việt Nam",
            mother.born.year, mother.ethnicity
        )),
        Block::field(format!("Nơi cư trú: {}", mother.address())),
        Block::field(format!("Họ, chữ đệm, tên người cha: {}", father.name)).space(0.3),
        Block::field(format!(
            "Năm sinh: {}     Dân tộc: {}     Quốc tịch: Việt Nam",
            father.born.year, father.ethnicity
        )),
        Block::field(format!("Nơi cư trú: {}", father.address())),
        Block::prose(
            "Tôi cam đoan những nội dung khai trên đây là đúng sự thật, đã được sự đồng ý của \
             những người có liên quan, và xin chịu hoàn toàn trách nhiệm trước pháp luật về \
             lời cam đoan của mình.",
        ),
        Block::field(format!(
            "Đề nghị cấp bản sao Trích lục khai sinh: có, số lượng: {:02} bản",
            rng.u32(1..=3)
        )),
    ]);
    blocks.extend(signature(mother.commune.0, today, &requester.name));
    blocks
}

pub(super) fn certification_request(rng: &mut fastrand::Rng) -> Vec<Block> {
    let sex = if rng.bool() { Sex::Male } else { Sex::Female };
    let person = Person::random(rng, sex, 1960..=2004);
    let today = Date::random(rng, 2026..=2026);
    let purposes = [
        "bổ sung hồ sơ xin việc tại Công ty cổ phần Thủy sản Miền Trung",
        "hoàn thiện hồ sơ vay vốn tại Ngân hàng Chính sách xã hội",
        "nộp hồ sơ xét tuyển vào Trường Cao đẳng Y tế",
        "làm thủ tục thừa kế quyền sử dụng đất của gia đình",
    ];
    let land_certificate = format!(
        "Giấy chứng nhận quyền sử dụng đất số {}{} {:06}",
        char::from(rng.u8(b'A'..=b'Z')),
        char::from(rng.u8(b'A'..=b'Z')),
        rng.u32(..1_000_000)
    );
    let documents = [
        format!(
            "Giấy khai sinh bản chính, số bản sao: {:02}",
            rng.u32(1..=5)
        ),
        format!("{land_certificate}, số bản sao: {:02}", rng.u32(1..=3)),
        format!(
            "Bằng tốt nghiệp trung học phổ thông năm {}, số bản sao: {:02}",
            person.born.year + 18,
            rng.u32(1..=4)
        ),
    ];

    let mut blocks = national_header();
    blocks.extend(title(
        "ĐƠN ĐỀ NGHỊ CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH",
        person.commune,
    ));
    blocks.extend([
        Block::field(format!(
            "Tôi tên là: {}     Sinh ngày: {}",
            person.name,
            person.born.numeric()
        ))
        .space(0.5),
        Block::field(format!("Số định danh cá nhân: {}", person.id_number)),
        Block::field(format!("Nơi cư trú: {}", person.address())),
        Block::field(format!("Số điện thoại liên hệ: 09{:08}", rng.u32(..100_000_000))),
        Block::field(format!(
            "Tôi đề nghị Ủy ban nhân dân xã {} chứng thực bản sao từ bản chính các giấy tờ sau đây:",
            person.commune.0
        ))
        .space(0.3),
    ]);
    for (number, document) in documents.iter().enumerate() {
        blocks.push(Block {
            indent_mm: 6.0,
            ..Block::field(format!("{}. {document}", number + 1))
        });
    }
    blocks.extend([
        Block::field(format!(
            "Mục đích sử dụng: {}.",
            purposes[rng.usize(..purposes.len())]
        ))
        .space(0.3),
        Block::prose(
            "Tôi xin cam kết các bản chính xuất trình là giấy tờ hợp pháp, không bị tẩy xóa, \
             sửa chữa, thêm hay bớt nội dung. Tôi hoàn toàn chịu trách nhiệm trước pháp luật \
             về tính hợp pháp của các giấy tờ đã xuất trình để chứng thực.",
        ),
        Block::prose(
            "Kính đề nghị Ủy ban nhân dân xã xem xét, giải quyết. Tôi xin trân trọng cảm ơn.",
        ),
    ]);
    blocks.extend(signature(person.commune.0, today, &person.name));
    blocks
}

pub(super) fn marital_status(rng: &mut fastrand::Rng) -> Vec<Block> {
    let sex = if rng.bool() { Sex::Male } else { Sex::Female };
    let person = Person::random(rng, sex, 1980..=2004);
    let partner_sex = if sex == Sex::Male {
        Sex::Female
    } else {
        Sex::Male
    };
    let partner = Person::random(rng, partner_sex, 1980..=2004);
    let honorific = if partner_sex == Sex::Male {
        "anh"
    } else {
        "chị"
    };
    let today = Date::random(rng, 2026..=2026);

    let mut blocks = national_header();
    blocks.extend(title(
        "TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
        person.commune,
    ));
    blocks.extend([
        Block::field(format!("Họ, chữ đệm, tên người yêu cầu: {}", person.name)).space(0.5),
        Block::field(format!("Nơi cư trú: {}", person.address())),
        Block::field(person.identity(rng)),
        Block::field("Quan hệ với người được cấp Giấy xác nhận: bản thân"),
        Block::field("Đề nghị cấp Giấy xác nhận tình trạng hôn nhân cho người có tên dưới đây:")
            .space(0.3),
        Block::field(format!("Họ, chữ đệm, tên: {}", person.name.to_uppercase())),
        Block::field(format!(
            "Ngày, tháng, năm sinh: {}     Giới tính: {}",
            person.born.numeric(),
            person.sex.label()
        )),
        Block::field(format!(
            "Dân tộc: {}     Quốc tịch: Việt Nam",
            person.ethnicity
        )),
        Block::field(format!(
            "Nơi cư trú trong thời gian từ năm {} đến nay: {}",
            person.born.year + 18,
            person.address()
        )),
        Block::field("Tình trạng hôn nhân: hiện tại chưa đăng ký kết hôn với ai."),
        Block::field(format!(
            "Mục đích sử dụng Giấy xác nhận: để làm thủ tục đăng ký kết hôn với {honorific} {}, \
             sinh năm {}, nơi cư trú: {}.",
            partner.name,
            partner.born.year,
            partner.address()
        )),
        Block::prose(
            "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm \
             trước pháp luật về lời cam đoan của mình. Nếu phát hiện có sự gian dối, tôi xin \
             chịu xử lý theo quy định của pháp luật về hộ tịch.",
        ),
        Block::field(format!(
            "Đề nghị cấp {:02} bản Giấy xác nhận tình trạng hôn nhân.",
            rng.u32(1..=2)
        )),
    ]);
    blocks.extend(signature(person.commune.0, today, &person.name));
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_in_vietnamese_forms() {
        assert_eq!(number_words(2025), "hai nghìn không trăm hai mươi lăm");
        assert_eq!(number_words(2005), "hai nghìn không trăm linh năm");
        assert_eq!(number_words(2010), "hai nghìn không trăm mười");
        assert_eq!(number_words(2000), "hai nghìn");
        assert_eq!(number_words(1985), "một nghìn chín trăm tám mươi lăm");
        assert_eq!(number_words(21), "hai mươi mốt");
        assert_eq!(number_words(15), "mười lăm");
        assert_eq!(number_words(7), "bảy");
    }
}
