//! 政府信息公开工作机构: the office that keeps a unit's 政府信息公开指南 and receives its
//! applications (《中华人民共和国政府信息公开条例》 art. 4, 12), from `[office]` in `unit.toml`.

use chrono::NaiveDate;

/// The 公开工作机构 of a unit, as its 指南 and 依申请公开 pages show it. Every field is optional
/// in the file; `check` warns about the ones 条例 art. 12 asks for ([`Office::missing`]).
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq)]
pub struct Office {
    /// 机构名称 (e.g. 示例区人民政府办公室).
    pub name: Option<String>,
    /// 办公地址 (falls back to the unit's `address`).
    pub address: Option<String>,
    /// 邮政编码, for applications by letter.
    pub postcode: Option<String>,
    /// 办公时间 (falls back to the unit's `hours`).
    pub hours: Option<String>,
    /// 联系电话 (falls back to the unit's `phone`).
    pub phone: Option<String>,
    /// 传真号码.
    pub fax: Option<String>,
    /// 电子邮箱.
    pub email: Option<String>,
    /// 网站 (an `https://` or `http://` address).
    pub website: Option<String>,
    /// 在线申请 form's address (an `https://` or `http://` address).
    pub form_url: Option<String>,
    /// The unit's own notes for its 指南 (paragraphs separated by blank lines).
    pub notes: Option<String>,
    /// When the unit last revised its 指南 text.
    pub updated: Option<NaiveDate>,
}

/// The keys 条例 art. 12 asks a 指南 to give, with their Chinese names: name, address, hours,
/// phone, fax and an internet contact (`email` or `website`).
pub const REQUIRED_KEYS: [(&str, &str); 6] = [
    ("name", "机构名称"),
    ("address", "办公地址"),
    ("hours", "办公时间"),
    ("phone", "联系电话"),
    ("fax", "传真号码"),
    ("email", "互联网联系方式（电子邮箱或网站）"),
];

impl Office {
    /// The required keys ([`REQUIRED_KEYS`]) this office does not give, as `(key, 中文名)`.
    pub fn missing(&self) -> Vec<(&'static str, &'static str)> {
        REQUIRED_KEYS
            .into_iter()
            .filter(|(key, _)| match *key {
                "name" => self.name.is_none(),
                "address" => self.address.is_none(),
                "hours" => self.hours.is_none(),
                "phone" => self.phone.is_none(),
                "fax" => self.fax.is_none(),
                _ => self.email.is_none() && self.website.is_none(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_website_counts_as_the_internet_contact() {
        let office = Office {
            website: Some("https://example.gov.cn/".into()),
            ..Office::default()
        };
        let missing: Vec<&str> = office.missing().iter().map(|(k, _)| *k).collect();
        assert_eq!(missing, ["name", "address", "hours", "phone", "fax"]);
    }
}
