//! Personal data scan (个人信息检查): finds unmasked 居民身份证号码, 手机号码 and
//! 银行卡号 in an entry's text, and in the text of its attachments (read by
//! [`super::attachments`]), before they are published.
//!
//! 公示 lists (补贴发放名单, 低保公示, 拆迁补偿公示 and the like) are where
//! grassroots government sites have most often leaked citizens' data: a clerk
//! pastes a spreadsheet from Word or Excel and the full ID card or bank card
//! numbers go online. 《个人信息保护法》 and the 政务公开 rules require such
//! numbers to be masked (脱敏), e.g. `4401**********1234`. This module finds the
//! ones that were not, so the build can stop before they are published.
//!
//! It is pure: no I/O, no clock. [`scan`] takes the text of an entry (front
//! matter and Markdown body alike; tables need no special handling) and returns
//! each unmasked number with its line, byte span and a masked rendering that is
//! safe to print in an error message.
//!
//! # What is found
//!
//! * **居民身份证号码** (GB 11643-1999): 18 characters; a 6-digit area code whose
//!   first digit is 1–8, a birth date `YYYYMMDD` that is a real calendar date
//!   from 1900-01-01 to 2099-12-31, a 3-digit sequence number and a check
//!   character (`0`–`9` or `X`/`x`) that satisfies ISO 7064 MOD 11-2. Written
//!   solid, or grouped 6-8-4 (`110105 19491001 123X`).
//! * **手机号码**: 11 digits starting with `1[3-9]`, solid or grouped 3-4-4
//!   (`138 1234 5678`, `138-1234-5678`), optionally after a `86` / `0086`
//!   country code, which may be attached (`8613812345678`), separated
//!   (`+86 138 1234 5678`, `0086-13812345678`) and preceded by `+`.
//! * **银行卡号**: 16–19 digits passing the Luhn check, solid or in groups of
//!   four with a shorter last group (`6222 0202 0011 2233 445`). The first digit
//!   must be one an issuer uses for payment cards (2–6 or 9); numbers starting
//!   with 0, 1, 7 or 8 (placeholders such as `0000000000000000`, 19-digit
//!   database ids) are not cards. An 18-digit number is a card only if it does
//!   not look like an ID card (see below) and is not a valid 统一社会信用代码
//!   (GB 32100-2015), which fill the 公示 lists of licences and penalties.
//!
//! # Rules for what counts as one number
//!
//! The text is read once, left to right, as *groups*: maximal runs of digits
//! (ASCII or full-width `０`–`９`, which clerks paste from Word) and masking
//! characters (`*`, `＊`, `×`, `x`/`X` and full-width `ｘ`/`Ｘ`). Groups joined
//! by exactly one space (also U+00A0 or the ideographic space U+3000) or exactly
//! one hyphen (`-`, `－`) form a *chain*; any other gap ends the chain.
//!
//! * A number must be a whole group, or a whole chain in one of the grouped
//!   forms above (all joins inside it the same kind; only the country code may
//!   be joined differently). Digits or masking characters directly before or
//!   after therefore make it part of a longer run: a 20-digit number is no ID
//!   card, and an ID card is not also reported as a phone or card number.
//! * A single group still counts when its chain neighbours are joined by a
//!   space (`13812345678 3`, `张XX 13812345678`), but not when joined by a
//!   hyphen, since hyphenated groups are compound codes (`2024-13812345678`).
//!   A grouped form must be the whole chain (`2 138 1234 5678` is not read).
//! * A group directly touching an ASCII letter is part of an identifier (hash,
//!   base64 image data, 索引号 such as `11999001MB0000001X`) and never counts;
//!   so is a group on either side of a decimal point between digits
//!   (`0.13812345678`).
//! * An 18-character group whose first digit is 1–8 and whose characters 7–14
//!   are a valid date is judged only as an ID card: with a wrong check
//!   character it is reported as nothing, not as a bank card.
//! * **Masked**: a number containing any masking character (`*`, `＊`, `×`, or
//!   `x`/`X` anywhere but the 18th character of an ID card) is masked and
//!   passes (`4401**********1234`, `138****5678`, `138xxxx5678`,
//!   `6222 **** **** 1234`). One to three `*` at either end of a group are
//!   Markdown emphasis (`**13812345678**`), not masking, and are ignored.
//!
//! Landlines (`020-12345678`, `0000-12345678`), hotlines (`12345`), dates
//! (`20240315`) and 文号/索引号 therefore never match: none has the length and
//! shape of the forms above. Old 15-digit ID card numbers are found when their
//! shape holds (see `old_id_valid`).
//!
//! # Complexity
//!
//! [`scan`] walks the text once by `char`, keeps at most 19 characters of any
//! group, tries grouped forms only on chains of at most six groups, and counts
//! lines incrementally, so it is linear in the length of the text. It never
//! slices a `&str` except at boundaries it got from `char_indices` (or next to
//! an ASCII byte), so it cannot panic on any input.

use crate::bytes::{ByteSet, byte_set};
use std::ops::Range;

/// What kind of personal number was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PersonalNumberKind {
    /// 18-digit 居民身份证号码 (GB 11643-1999).
    IdCard,
    /// Mainland mobile number (11 digits, `1[3-9]…`).
    Mobile,
    /// Luhn-valid bank card number (16–19 digits).
    BankCard,
}

impl PersonalNumberKind {
    /// The Chinese name of the kind, for messages: "居民身份证号码", "手机号码"
    /// or "银行卡号".
    pub fn label(self) -> &'static str {
        match self {
            PersonalNumberKind::IdCard => "居民身份证号码",
            PersonalNumberKind::Mobile => "手机号码",
            PersonalNumberKind::BankCard => "银行卡号",
        }
    }
}

/// One unmasked personal number in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalNumber {
    /// What kind of number it is.
    pub kind: PersonalNumberKind,
    /// 1-based line within the scanned text.
    pub line: u32,
    /// Byte range in the scanned text.
    ///
    /// It covers the number as written, separators included, and for a mobile
    /// number also its `86`/`0086` country code and a `+` right before it.
    /// Both ends are `char` boundaries.
    pub span: Range<usize>,
    /// The number shown masked, safe to print in an error message (e.g.
    /// "4401**********1234", "138****5678", "6222********1234").
    ///
    /// Always ASCII, without separators or country code: an ID card keeps its
    /// first and last four characters, a mobile number its first three and last
    /// four, a bank card its first and last four digits.
    pub masked: String,
}

/// Finds unmasked personal numbers in `text`, in order of position.
///
/// See the module documentation for exactly what is recognised.
pub fn scan(text: &str) -> Vec<PersonalNumber> {
    scan_with(text, false)
}

/// [`scan`] for the text a reader sees ([`super::reader`]): there, an 18-character ID card
/// number (date and check character valid) counts even directly after or before ASCII letters
/// (`IDNo11010519491001123X`), since tags and attributes, where identifiers live, are gone.
pub fn scan_seen(text: &str) -> Vec<PersonalNumber> {
    scan_with(text, true)
}

fn scan_with(text: &str, id_beside_letters: bool) -> Vec<PersonalNumber> {
    let mut scanner = Scanner {
        text,
        id_beside_letters,
        chain: Vec::new(),
        lines: LineCounter { pos: 0, line: 1 },
        out: Vec::new(),
    };
    for (start, end) in groups(text) {
        scanner.raw_group(start, end);
    }
    scanner.flush();
    scanner.out
}

/// The byte ranges of the runs of characters that can be part of a number ([`norm_char`]), in
/// order.
fn groups(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = next_group_char(bytes, at)?;
        let mut end = start;
        while let Some(len) = group_char_len(bytes, end) {
            end += len;
        }
        at = end;
        Some((start, end))
    })
}

/// Whether byte `b` may start a character that can be part of a group: every such character
/// ([`norm_char`]) is ASCII or starts with byte 0xC3 (`×`) or 0xEF (the full-width forms), and
/// neither kind of byte occurs inside another character.
const fn may_be_group(b: u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'x' | b'X' | b'*' | 0xC3 | 0xEF)
}

/// [`may_be_group`] for every byte.
static MAY_BE_GROUP: ByteSet = byte_set!(may_be_group);

/// The length in bytes of the character at `at` if it can be part of a group ([`norm_char`]),
/// read from its bytes without decoding it: `0`–`9`, `x`, `X`, `*`; `×` (C3 97); the
/// full-width `０`–`９`, `Ｘ` and `＊` (EF BC ..) and `ｘ` (EF BD 98).
fn group_char_len(bytes: &[u8], at: usize) -> Option<usize> {
    match *bytes.get(at)? {
        b'0'..=b'9' | b'x' | b'X' | b'*' => Some(1),
        0xC3 => (bytes.get(at + 1) == Some(&0x97)).then_some(2),
        0xEF => match bytes.get(at + 1..at + 3)? {
            [0xBC, 0x8A | 0x90..=0x99 | 0xB8] | [0xBD, 0x98] => Some(3),
            _ => None,
        },
        _ => None,
    }
}

/// The offset of the first character at or after `from` that can be part of a group. Bytes
/// that cannot start one ([`may_be_group`]) are skipped without decoding; at a byte that may,
/// the character is checked from its bytes ([`group_char_len`]). A byte that starts no group
/// character is stepped over alone: the next candidate cannot be one of its continuation
/// bytes, since those are never ASCII, 0xC3 or 0xEF.
fn next_group_char(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let start = MAY_BE_GROUP.find(bytes, at)?;
        if group_char_len(bytes, start).is_some() {
            return Some(start);
        }
        at = start + 1;
    }
}

/// Whether an 18-character string is a valid 居民身份证号码 (date and check digit).
///
/// Checks that the first digit of the area code is 1–8, that characters 7–14
/// are a real date from 1900-01-01 to 2099-12-31, and the ISO 7064 MOD 11-2
/// check character (`X` or `x` for 10). Digits may be ASCII or full-width; any
/// other character, or a length other than 18, gives `false`.
pub fn is_valid_id_card(s: &str) -> bool {
    let mut buf = [0u8; 18];
    let mut n = 0;
    for c in s.chars() {
        let Some(b) = norm_char(c) else {
            return false;
        };
        if n == buf.len() {
            return false;
        }
        buf[n] = b;
        n += 1;
    }
    n == buf.len() && id_valid(&buf)
}

/// Luhn check on a digit string.
///
/// Digits may be ASCII or full-width. An empty string, or one containing
/// anything but digits, gives `false`.
pub fn luhn_valid(digits: &str) -> bool {
    let mut buf = Vec::with_capacity(digits.len());
    for c in digits.chars() {
        match norm_char(c) {
            Some(b) if b.is_ascii_digit() => buf.push(b),
            _ => return false,
        }
    }
    luhn(&buf)
}

// ---------------------------------------------------------------------------
// Lexing

/// The longest group worth keeping: bank cards have up to 19 digits, and
/// `0086` + 11 digits is 15.
const MAX_RUN: usize = 19;

/// How a group is joined to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    /// Exactly one space (ASCII, U+00A0 or U+3000).
    Space,
    /// Exactly one hyphen (`-` or `－`).
    Hyphen,
    /// Anything else: the group starts a new chain.
    Break,
}

/// A maximal run of digits and masking characters.
#[derive(Debug, Clone, Copy)]
struct Group {
    /// Byte range in the text (after dropping Markdown-emphasis stars).
    start: usize,
    end: usize,
    /// The first `MAX_RUN` characters, normalised to `0`–`9`, `X` or `*`.
    buf: [u8; MAX_RUN],
    /// Number of characters in the group.
    len: usize,
    /// Touches an ASCII letter, or a decimal point between digits, on the left.
    glued_left: bool,
    /// Same on the right.
    glued_right: bool,
    /// Of the glue, whether it is only letters (no decimal point).
    glued_by_letters: bool,
    /// How this group is joined to the previous group of its chain.
    gap_before: Gap,
}

impl Group {
    /// The normalised characters, or `None` when the group is too long to be
    /// any number looked for.
    fn run(&self) -> Option<&[u8]> {
        self.buf.get(..self.len)
    }
}

/// Normalises a character that can be part of a group: digits (ASCII and
/// full-width) to ASCII digits, the letter x in any form to `X`, every other
/// masking character to `*`.
fn norm_char(c: char) -> Option<u8> {
    match c {
        '0'..='9' => u8::try_from(c).ok(),
        '０'..='９' => char::from_u32(u32::from(c) - 0xFEE0).and_then(|d| u8::try_from(d).ok()),
        'x' | 'X' | 'ｘ' | 'Ｘ' => Some(b'X'),
        '*' | '＊' | '×' => Some(b'*'),
        _ => None,
    }
}

fn gap_kind(gap: &str) -> Gap {
    match gap {
        " " | "\u{a0}" | "\u{3000}" => Gap::Space,
        "-" | "－" => Gap::Hyphen,
        _ => Gap::Break,
    }
}

/// Counts lines incrementally; positions are asked for in increasing order.
struct LineCounter {
    pos: usize,
    line: u32,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], p: usize) -> u32 {
        if p < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        let newlines = bytes
            .get(self.pos..p)
            .map_or(0, |s| s.iter().filter(|&&b| b == b'\n').count());
        self.line = self
            .line
            .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        self.pos = p;
        self.line
    }
}

/// A number recognised in a chain, before it becomes a [`PersonalNumber`].
struct Hit {
    kind: PersonalNumberKind,
    span: Range<usize>,
    /// Normalised characters of the number itself (no country code).
    digits: Vec<u8>,
}

struct Scanner<'a> {
    text: &'a str,
    /// Whether an 18-character ID card touching letters still counts ([`scan_seen`]).
    id_beside_letters: bool,
    chain: Vec<Group>,
    lines: LineCounter,
    out: Vec<PersonalNumber>,
}

impl Scanner<'_> {
    /// Takes the byte range of a maximal run of group characters.
    fn raw_group(&mut self, raw_start: usize, raw_end: usize) {
        let text = self.text;
        let bytes = text.as_bytes();
        let Some(raw) = text.get(raw_start..raw_end) else {
            return;
        };
        let (mut start, mut end) = (raw_start, raw_end);
        if raw
            .chars()
            .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        {
            // One to three stars at either end are Markdown emphasis. Since the
            // run has a digit, the two star runs cannot overlap.
            let lead = raw.bytes().take_while(|&b| b == b'*').count();
            if lead <= 3 {
                start += lead;
            }
            let trail = raw.bytes().rev().take_while(|&b| b == b'*').count();
            if trail <= 3 {
                end -= trail;
            }
        }
        let Some(body) = text.get(start..end) else {
            return;
        };
        let mut buf = [0u8; MAX_RUN];
        let mut len = 0;
        for c in body.chars() {
            if let (Some(slot), Some(b)) = (buf.get_mut(len), norm_char(c)) {
                *slot = b;
            }
            len += 1;
        }
        let is_digit =
            |i: Option<usize>| i.and_then(|i| bytes.get(i)).is_some_and(u8::is_ascii_digit);
        let letter_left = start
            .checked_sub(1)
            .and_then(|i| bytes.get(i))
            .is_some_and(u8::is_ascii_alphabetic);
        let letter_right = bytes.get(end).is_some_and(u8::is_ascii_alphabetic);
        let point_left = start.checked_sub(1).and_then(|i| bytes.get(i)) == Some(&b'.')
            && is_digit(start.checked_sub(2));
        let point_right = bytes.get(end) == Some(&b'.') && is_digit(end.checked_add(1));
        let glued_left = letter_left || point_left;
        let glued_right = letter_right || point_right;
        let glued_by_letters = !point_left && !point_right;
        let gap_before = match self.chain.last() {
            Some(prev) => text.get(prev.end..start).map_or(Gap::Break, gap_kind),
            None => Gap::Break,
        };
        if gap_before == Gap::Break {
            self.flush();
        }
        self.chain.push(Group {
            start,
            end,
            buf,
            len,
            glued_left,
            glued_right,
            glued_by_letters,
            gap_before,
        });
    }

    /// Judges the current chain and starts a new one.
    fn flush(&mut self) {
        let chain = std::mem::take(&mut self.chain);
        if let Some(hit) = self.whole_chain(&chain) {
            self.emit(hit);
        } else {
            for (i, g) in chain.iter().enumerate() {
                let hyphen_after = chain
                    .get(i + 1)
                    .is_some_and(|n| n.gap_before == Gap::Hyphen);
                if g.gap_before == Gap::Hyphen || hyphen_after {
                    continue;
                }
                let Some((kind, digits)) = g.run().and_then(judge) else {
                    continue;
                };
                let glued = g.glued_left || g.glued_right;
                let id_beside_letters = self.id_beside_letters
                    && g.glued_by_letters
                    && kind == PersonalNumberKind::IdCard
                    && digits.len() == 18;
                if glued && !id_beside_letters {
                    continue;
                }
                let prefixed = kind == PersonalNumberKind::Mobile && g.len > 11;
                let hit = Hit {
                    kind,
                    span: self.with_plus(g.start, prefixed)..g.end,
                    digits: digits.to_vec(),
                };
                self.emit(hit);
            }
        }
        // Keep the allocation for the next chain.
        self.chain = chain;
        self.chain.clear();
    }

    /// Recognises a chain of two or more groups written in one of the grouped
    /// forms (with or without a country code).
    fn whole_chain(&self, chain: &[Group]) -> Option<Hit> {
        let (first, last) = (chain.first()?, chain.last()?);
        if chain.len() < 2 || chain.len() > 6 || first.glued_left || last.glued_right {
            return None;
        }
        let span_end = last.end;
        // `86` / `0086` followed by a mobile number, solid or 3-4-4.
        if matches!(first.run(), Some(b"86" | b"0086")) {
            let core = &chain[1..];
            if let Some(digits) = concat_uniform(core) {
                let shape_ok = matches!(lens(core).as_slice(), [11] | [3, 4, 4]);
                if shape_ok && is_mobile(&digits) {
                    return Some(Hit {
                        kind: PersonalNumberKind::Mobile,
                        span: self.with_plus(first.start, true)..span_end,
                        digits,
                    });
                }
            }
        }
        let digits = concat_uniform(chain)?;
        let kind = match lens(chain).as_slice() {
            [3, 4, 4] => is_mobile(&digits).then_some(PersonalNumberKind::Mobile),
            [6, 8, 4] => judge(&digits)
                .map(|(k, _)| k)
                .filter(|&k| k == PersonalNumberKind::IdCard),
            [4, 4, 4, 4] | [4, 4, 4, 4, 1..=3] => judge(&digits)
                .map(|(k, _)| k)
                .filter(|&k| k != PersonalNumberKind::Mobile),
            _ => None,
        }?;
        Some(Hit {
            kind,
            span: first.start..span_end,
            digits,
        })
    }

    /// Moves `start` back over a `+` when the number begins with a country code.
    fn with_plus(&self, start: usize, prefixed: bool) -> usize {
        let plus = start
            .checked_sub(1)
            .is_some_and(|i| self.text.as_bytes().get(i) == Some(&b'+'));
        if prefixed && plus { start - 1 } else { start }
    }

    fn emit(&mut self, hit: Hit) {
        let line = self.lines.line_at(self.text.as_bytes(), hit.span.start);
        self.out.push(PersonalNumber {
            kind: hit.kind,
            line,
            masked: mask(hit.kind, &hit.digits),
            span: hit.span,
        });
    }
}

/// Character counts of the groups.
fn lens(groups: &[Group]) -> Vec<usize> {
    groups.iter().map(|g| g.len).collect()
}

/// Concatenates the groups when every join inside is the same kind and the
/// result is short enough to be a number looked for.
fn concat_uniform(groups: &[Group]) -> Option<Vec<u8>> {
    let join = groups.get(1).map(|g| g.gap_before);
    if groups.iter().skip(1).any(|g| Some(g.gap_before) != join) {
        return None;
    }
    let mut out = Vec::with_capacity(MAX_RUN);
    for g in groups {
        out.extend_from_slice(g.run()?);
        if out.len() > MAX_RUN {
            return None;
        }
    }
    Some(out)
}

/// Judges one solid run of normalised characters. Returns the kind and the
/// characters of the number itself (without a country code).
fn judge(run: &[u8]) -> Option<(PersonalNumberKind, &[u8])> {
    let (&last, body) = run.split_last()?;
    // A star anywhere, or an X anywhere but last, is masking.
    if !body.iter().all(u8::is_ascii_digit) || last == b'*' {
        return None;
    }
    if last == b'X' {
        return id_valid(run).then_some((PersonalNumberKind::IdCard, run));
    }
    match run.len() {
        11 if is_mobile(run) => Some((PersonalNumberKind::Mobile, run)),
        13 if run.starts_with(b"86") && is_mobile(&run[2..]) => {
            Some((PersonalNumberKind::Mobile, &run[2..]))
        }
        15 if run.starts_with(b"0086") && is_mobile(&run[4..]) => {
            Some((PersonalNumberKind::Mobile, &run[4..]))
        }
        15 => old_id_valid(run).then_some((PersonalNumberKind::IdCard, run)),
        18 if id_shaped(run) => id_valid(run).then_some((PersonalNumberKind::IdCard, run)),
        18 => (is_card(run) && !uscc_valid(run)).then_some((PersonalNumberKind::BankCard, run)),
        16 | 17 | 19 => is_card(run).then_some((PersonalNumberKind::BankCard, run)),
        _ => None,
    }
}

fn is_mobile(d: &[u8]) -> bool {
    d.len() == 11
        && d.iter().all(u8::is_ascii_digit)
        && d.first() == Some(&b'1')
        && d.get(1).is_some_and(|b| (b'3'..=b'9').contains(b))
}

/// Payment-card first digit (2–6 or 9) and Luhn.
fn is_card(d: &[u8]) -> bool {
    matches!(d.first(), Some(b'2'..=b'6' | b'9')) && luhn(d)
}

fn luhn(d: &[u8]) -> bool {
    if d.is_empty() || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut sum = 0u32;
    for (i, &b) in d.iter().rev().enumerate() {
        let mut v = u32::from(b - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum = (sum + v) % 10;
    }
    sum == 0
}

/// Looks like an ID card apart from the check character: 18 characters, the
/// first 17 digits, area code starting 1–8, a valid birth date.
fn id_shaped(d: &[u8]) -> bool {
    d.len() == 18
        && d[..17].iter().all(u8::is_ascii_digit)
        && (b'1'..=b'8').contains(&d[0])
        && valid_date(&d[6..14])
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// The ISO 7064 MOD 11-2 check character for the first 17 digits.
fn id_check(d: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (&b, w) in d.iter().zip(ID_WEIGHTS) {
        sum += u32::from(b.checked_sub(b'0')?) * w;
    }
    ID_CHECK.get(usize::try_from(sum % 11).ok()?).copied()
}

/// Normalised characters (`X` for x) form a valid ID card number.
fn id_valid(d: &[u8]) -> bool {
    id_shaped(d) && id_check(d).is_some_and(|c| d.get(17) == Some(&c))
}

/// `YYYYMMDD` is a real date from 1900-01-01 to 2099-12-31.
fn valid_date(d: &[u8]) -> bool {
    if d.len() != 8 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num = |r: Range<usize>| {
        d[r].iter()
            .fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0'))
    };
    let (year, month, day) = (num(0..4), num(4..6), num(6..8));
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2099).contains(&year) && (1..=days).contains(&day)
}

/// Provinces' first two digits of an area code (GB/T 2260), as 15-digit ID cards carry them.
const PROVINCES: [u8; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

/// Whether 15 digits read as an old (first-generation) 居民身份证号码: a province that exists,
/// a birth date `YYMMDD` real in the 1900s, and a 3-digit sequence. With no check character
/// the shape alone decides, so numbers of the same length that carry a check of their own
/// are left out: an old 工商注册号 (ISO 7064 MOD 11,10) and a 税务登记号 (an area code and a
/// 组织机构代码, GB 11714).
fn old_id_valid(d: &[u8]) -> bool {
    if d.len() != 15 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let province = (d[0] - b'0') * 10 + (d[1] - b'0');
    let mut date = *b"19000000";
    date[2..].copy_from_slice(&d[6..12]);
    PROVINCES.contains(&province)
        && valid_date(&date)
        && !mod_11_10_valid(d)
        && !org_code_valid(&d[6..])
}

/// ISO 7064 MOD 11,10, the check of 15-digit 工商注册号.
fn mod_11_10_valid(d: &[u8]) -> bool {
    let mut p = 10;
    for (i, &b) in d.iter().enumerate() {
        let mut s = (p + u32::from(b - b'0')) % 10;
        if i + 1 == d.len() {
            return s == 1;
        }
        if s == 0 {
            s = 10;
        }
        p = (s * 2) % 11;
    }
    false
}

/// GB 11714 组织机构代码 (8 digits and a check character), all digits here.
fn org_code_valid(d: &[u8]) -> bool {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    if d.len() != 9 {
        return false;
    }
    let sum: u32 = d
        .iter()
        .zip(WEIGHTS)
        .map(|(&b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = (11 - sum % 11) % 11;
    check < 10 && u32::from(d[8] - b'0') == check
}

/// Whether an all-digit 18-character string is a valid 统一社会信用代码
/// (GB 32100-2015: weights 3^i mod 31, check character 31 − sum mod 31).
fn uscc_valid(d: &[u8]) -> bool {
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    if d.len() != 18 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = d
        .iter()
        .zip(WEIGHTS)
        .map(|(&b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = (31 - sum % 31) % 31;
    d.get(17).is_some_and(|&b| u32::from(b - b'0') == check)
}

/// The masked rendering of a number's normalised characters.
fn mask(kind: PersonalNumberKind, d: &[u8]) -> String {
    let keep_front = match kind {
        PersonalNumberKind::Mobile => 3,
        PersonalNumberKind::IdCard | PersonalNumberKind::BankCard => 4,
    };
    d.iter()
        .enumerate()
        .map(|(i, &b)| {
            if i < keep_front || i + 4 >= d.len() {
                char::from(b)
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use PersonalNumberKind::{BankCard, IdCard, Mobile};

    /// Check character computed independently of the module's tables.
    fn check_char(first17: &str) -> char {
        let sum: u32 = first17
            .chars()
            .enumerate()
            .map(|(i, c)| c.to_digit(10).unwrap() * ((1u32 << (17 - i)) % 11))
            .sum();
        ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize]
    }

    fn id(first17: &str) -> String {
        format!("{first17}{}", check_char(first17))
    }

    /// Appends the Luhn check digit.
    fn card(prefix: &str) -> String {
        (0..10)
            .map(|d| format!("{prefix}{d}"))
            .find(|s| luhn_valid(s))
            .unwrap()
    }

    fn kinds(text: &str) -> Vec<PersonalNumberKind> {
        scan(text).into_iter().map(|p| p.kind).collect()
    }

    fn found_text(text: &str) -> Vec<&str> {
        scan(text).into_iter().map(|p| &text[p.span]).collect()
    }

    fn assert_clean(text: &str) {
        assert_eq!(scan(text), vec![], "expected nothing in {text:?}");
    }

    fn wrong_checks(first17: &str) -> Vec<String> {
        let right = check_char(first17);
        "0123456789X"
            .chars()
            .filter(|&c| c != right)
            .map(|c| format!("{first17}{c}"))
            .collect()
    }

    #[test]
    fn labels() {
        assert_eq!(IdCard.label(), "居民身份证号码");
        assert_eq!(Mobile.label(), "手机号码");
        assert_eq!(BankCard.label(), "银行卡号");
    }

    #[test]
    fn id_check_matches_the_standard_example() {
        assert!(is_valid_id_card("11010519491231002X"));
        assert!(is_valid_id_card("11010519491231002x"));
        assert!(!is_valid_id_card("110105194912310021"));
        assert_eq!(check_char("11010519491231002"), 'X');
    }

    #[test]
    fn valid_id_is_found_once() {
        let n = id("11010519491001123");
        let text = format!("身份证号：{n}，");
        let found = scan(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, IdCard);
        assert_eq!(found[0].line, 1);
        assert_eq!(&text[found[0].span.clone()], n);
        assert_eq!(found[0].masked, format!("1101**********{}", &n[14..]));
        assert!(is_valid_id_card(&n));
    }

    #[test]
    fn id_with_wrong_check_digit_is_not_found() {
        for first17 in [
            "11010519491001123",
            "44010520000229456",
            "51010019991231000",
        ] {
            for wrong in wrong_checks(first17) {
                assert!(!is_valid_id_card(&wrong), "{wrong}");
                assert_clean(&format!("身份证 {wrong} 。"));
            }
        }
    }

    #[test]
    fn id_with_invalid_date_is_not_found() {
        for first17 in [
            "11010519990230123", // 30 February
            "11010519000229123", // 1900 is not a leap year
            "11010518991231123", // before 1900
            "11010521000101123", // after 2099
            "11010519991301123", // month 13
            "11010519990100123", // day 0
        ] {
            let n = id(first17);
            assert!(!is_valid_id_card(&n), "{n}");
            assert_clean(&n);
        }
        // 2000 is a leap year.
        assert_eq!(kinds(&id("11010520000229123")), vec![IdCard]);
    }

    #[test]
    fn id_area_code_must_start_1_to_8() {
        for area in ["010105", "910105"] {
            let n = id(&format!("{area}19491001123"));
            assert!(!is_valid_id_card(&n));
            assert!(!kinds(&n).contains(&IdCard), "{n}");
        }
    }

    #[test]
    fn check_character_x_in_either_case() {
        let first17 = (0..1000)
            .map(|seq| format!("11010519491001{seq:03}"))
            .find(|f| check_char(f) == 'X')
            .unwrap();
        for n in [format!("{first17}X"), format!("{first17}x")] {
            let found = scan(&n);
            assert_eq!(found.len(), 1, "{n}");
            assert_eq!(found[0].kind, IdCard);
            assert!(found[0].masked.ends_with('X'));
            assert!(is_valid_id_card(&n));
        }
    }

    #[test]
    fn grouped_id_is_found() {
        let n = id("11010519491001123");
        let text = format!("{} {} {}", &n[..6], &n[6..14], &n[14..]);
        assert_eq!(found_text(&text), vec![text.as_str()]);
        assert_eq!(kinds(&text), vec![IdCard]);
    }

    #[test]
    fn masked_forms_pass() {
        for text in [
            "4401**********1234",
            "440105********123X",
            "**************1234",
            "110105194910******",
            "4401０５＊＊＊＊＊＊＊＊1234",
            "138****5678",
            "138xxxx5678",
            "138XXXX5678",
            "138××××5678",
            "138＊＊＊＊5678",
            "+86 138****5678",
            "138 **** 5678",
            "6222 **** **** 1234",
            "6222-****-****-1234",
            "6222********1234",
            "6222 0202 **** 2233 445",
            "x13812345678",
            "1381234567x8",
        ] {
            assert_clean(text);
        }
    }

    #[test]
    fn mobiles_in_every_spelling_are_found() {
        for (text, number) in [
            ("13812345678", "13812345678"),
            ("电话：13812345678。", "13812345678"),
            ("+8613812345678", "+8613812345678"),
            ("8613812345678", "8613812345678"),
            ("008613812345678", "008613812345678"),
            ("+86 13812345678", "+86 13812345678"),
            ("0086-13812345678", "0086-13812345678"),
            ("+86 138 1234 5678", "+86 138 1234 5678"),
            ("+86-138-1234-5678", "+86-138-1234-5678"),
            ("（+86）13812345678", "13812345678"),
            ("138 1234 5678", "138 1234 5678"),
            ("138-1234-5678", "138-1234-5678"),
            ("138－1234－5678", "138－1234－5678"),
            ("138\u{3000}1234\u{3000}5678", "138\u{3000}1234\u{3000}5678"),
            ("**13812345678**", "13812345678"),
            ("张XX 13812345678", "13812345678"),
            ("13812345678 3 人", "13812345678"),
            ("19912345678", "19912345678"),
        ] {
            let found = scan(text);
            assert_eq!(found.len(), 1, "{text:?}: {found:?}");
            assert_eq!(found[0].kind, Mobile, "{text:?}");
            assert_eq!(&text[found[0].span.clone()], number, "{text:?}");
            assert!(found[0].masked.ends_with("****5678") && found[0].masked.len() == 11);
        }
        assert_eq!(scan("13812345678")[0].masked, "138****5678");
    }

    #[test]
    fn two_numbers_separated_by_a_space_are_both_found() {
        assert_eq!(
            found_text("13812345678 13912345678"),
            vec!["13812345678", "13912345678"]
        );
    }

    #[test]
    fn landlines_hotlines_dates_and_document_numbers_pass() {
        for text in [
            "0000-12345678",
            "020-12345678",
            "(020)12345678",
            "（020）12345678",
            "0755-88888888 转 8001",
            "02012345678",
            "400-123-4567",
            "4001234567",
            "12345",
            "拨打12345热线",
            "12312345678",
            "20240315",
            "2024-03-15",
            "2024年03月15日",
            "20240315143000",
            "索引号：11999001MB0000001X/2024-00002",
            "索引号：000014349/2024-00012",
            "穗府办〔2024〕12号",
            "国办发〔2024〕1号",
            "统一社会信用代码：91440101MA59ABCD1X",
            "2024-13812345678",
            "2 138 1234 5678",
            "abc13812345678",
            "13812345678abc",
            "0.13812345678",
            "13812345678.5",
            "0000000000000000",
            "data:image/png;base64,iVBOR0KGgo6222020200112238AAAA",
        ] {
            assert_clean(text);
        }
    }

    #[test]
    fn bank_cards_are_found_when_luhn_valid() {
        let c16 = card("622202020011223");
        let c19 = card("622848001234567890");
        let c17 = card("6222020200112233");
        assert!(luhn_valid(&c16) && luhn_valid(&c19));
        for (n, masked) in [
            (c16.clone(), format!("6222********{}", &c16[12..])),
            (c17.clone(), format!("6222*********{}", &c17[13..])),
            (c19.clone(), format!("6228***********{}", &c19[15..])),
        ] {
            let found = scan(&format!("卡号：{n}"));
            assert_eq!(found.len(), 1, "{n}");
            assert_eq!(found[0].kind, BankCard);
            assert_eq!(found[0].masked, masked);
        }
        // Luhn-invalid variants are not cards.
        for n in [&c16, &c19] {
            let last = n.chars().last().unwrap().to_digit(10).unwrap();
            let bad = format!("{}{}", &n[..n.len() - 1], (last + 1) % 10);
            assert!(!luhn_valid(&bad));
            assert_clean(&bad);
        }
    }

    #[test]
    fn grouped_bank_cards_are_found() {
        let c16 = card("622202020011223");
        let c19 = card("622848001234567890");
        let g16 = format!(
            "{} {} {} {}",
            &c16[..4],
            &c16[4..8],
            &c16[8..12],
            &c16[12..]
        );
        let h16 = g16.replace(' ', "-");
        let g19 = format!(
            "{} {} {} {} {}",
            &c19[..4],
            &c19[4..8],
            &c19[8..12],
            &c19[12..16],
            &c19[16..]
        );
        for text in [&g16, &h16, &g19] {
            let found = scan(text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].kind, BankCard);
            assert_eq!(found[0].span, 0..text.len());
        }
        assert_eq!(scan(&g16)[0].masked, format!("6222********{}", &c16[12..]));
        // Mixed separators are not one card.
        let mixed = format!(
            "{} {}-{} {}",
            &c16[..4],
            &c16[4..8],
            &c16[8..12],
            &c16[12..]
        );
        assert_clean(&mixed);
    }

    #[test]
    fn cards_need_a_payment_card_first_digit() {
        for prefix in [
            "000000000000000",
            "111111111111111",
            "712345678901234",
            "812345678901234",
        ] {
            let n = card(prefix);
            assert!(luhn_valid(&n));
            assert_clean(&n);
        }
        for prefix in [
            "222100000000000",
            "411111111111111",
            "512345678901234",
            "955880000000000000",
        ] {
            assert_eq!(kinds(&card(prefix)), vec![BankCard], "{prefix}");
        }
    }

    #[test]
    fn all_digit_credit_codes_are_not_cards() {
        // Tencent's 统一社会信用代码 checks out with the GB 32100 algorithm.
        let uscc_check = |s: &str| {
            const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
            let v: Vec<u32> = s
                .chars()
                .map(|c| u32::try_from(CHARSET.find(c).unwrap()).unwrap())
                .collect();
            let w = [
                1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
            ];
            let sum: u32 = v.iter().zip(w).map(|(a, b)| a * b).sum();
            (31 - sum % 31) % 31 == v[17]
        };
        assert!(uscc_check("9144030071526726XG"));
        // An all-digit credit code that is also Luhn-valid.
        let code = (0..1_000_000u32)
            .map(|i| format!("91440101{i:09}"))
            .flat_map(|p| (0..10).map(move |d| format!("{p}{d}")))
            .find(|s| uscc_check(s) && luhn_valid(s))
            .unwrap();
        assert!(uscc_valid(code.as_bytes()));
        assert_clean(&format!("统一社会信用代码：{code}"));
    }

    #[test]
    fn id_in_a_markdown_table_row_is_on_its_line() {
        let n = id("11010519491001123");
        let text = format!(
            "---\ntitle: 2024年临时救助公示\n---\n\n| 姓名 | 身份证号 | 人数 |\n| --- | --- | --- |\n| 张某某 | {n} | 3 |\n| 李某某 | 4401**********1234 | 2 |\n"
        );
        let found = scan(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, IdCard);
        assert_eq!(found[0].line, 7);
        assert_eq!(&text[found[0].span.clone()], n);
    }

    #[test]
    fn results_are_in_order_with_lines() {
        let n = id("44010520000229456");
        let text = format!(
            "电话 13812345678\n\n身份证 {n}\r\n卡 {}",
            card("622202020011223")
        );
        let found = scan(&text);
        assert_eq!(
            found.iter().map(|p| (p.kind, p.line)).collect::<Vec<_>>(),
            vec![(Mobile, 1), (IdCard, 3), (BankCard, 4)]
        );
    }

    #[test]
    fn full_width_digits_are_found() {
        let to_full = |s: &str| -> String {
            s.chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(u32::from(c) + 0xFEE0).unwrap(),
                    'X' => 'Ｘ',
                    c => c,
                })
                .collect()
        };
        let mobile = to_full("13812345678");
        let found = scan(&format!("手机：{mobile}"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, Mobile);
        assert_eq!(found[0].masked, "138****5678");
        assert_eq!(found[0].span.len(), 33);

        let first17 = (0..1000)
            .map(|seq| format!("44010519880808{seq:03}"))
            .find(|f| check_char(f) == 'X')
            .unwrap();
        let full_id = to_full(&format!("{first17}X"));
        assert_eq!(kinds(&full_id), vec![IdCard]);
        assert!(is_valid_id_card(&full_id));
        // Mixed widths, as pasted.
        let n = id("11010519491001123");
        let mixed = format!("{}{}", to_full(&n[..9]), &n[9..]);
        assert_eq!(kinds(&mixed), vec![IdCard]);
        assert!(luhn_valid(&to_full("79927398713")));
    }

    #[test]
    fn numbers_inside_longer_runs_are_not_found() {
        let n = id("11010519491001123");
        let c = card("622202020011223");
        for text in [
            format!("1{n}"),
            format!("{n}0"),
            format!("{n}X"),
            format!("X{n}"),
            format!("{n}*5"),
            format!("ID{n}"),
            "113812345678".to_string(),
            "138123456789".to_string(),
            format!("{c}1234"),
            format!("9{c}"),
            "12345678901234567890123".to_string(),
        ] {
            assert_clean(&text);
        }
    }

    #[test]
    fn an_id_is_not_also_a_card_or_phone() {
        // A valid ID that is also Luhn-valid: reported once, as an ID card.
        let n = (0..1000)
            .map(|seq| id(&format!("11010519491001{seq:03}")))
            .find(|s| !s.ends_with('X') && luhn_valid(s))
            .unwrap();
        assert_eq!(kinds(&n), vec![IdCard]);
        // One starting like a mobile number.
        let n = id("13812319491001123");
        assert_eq!(kinds(&n), vec![IdCard]);
    }

    #[test]
    fn luhn_basics() {
        assert!(luhn_valid("79927398713"));
        assert!(!luhn_valid("79927398710"));
        assert!(luhn_valid("0"));
        assert!(!luhn_valid(""));
        assert!(!luhn_valid("7992 7398 713"));
        assert!(!luhn_valid("12a"));
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for text in [
            "", "*", "**", "***1***", "+", "-", " ", "×", "ｘ", "1.", ".1", "86", "+86", "86 ",
            "\u{3000}",
        ] {
            let _ = scan(text);
        }
        assert!(!is_valid_id_card(""));
        assert!(!is_valid_id_card("11010519491231002X0"));
        assert!(!is_valid_id_card("张"));
    }

    fn date_strategy() -> impl Strategy<Value = String> {
        (1900u32..=2099, 1u32..=12, 1u32..=31).prop_filter_map("real date", |(y, m, d)| {
            let s = format!("{y:04}{m:02}{d:02}");
            valid_date(s.as_bytes()).then_some(s)
        })
    }

    #[test]
    fn old_fifteen_digit_ids_are_found_but_not_other_fifteen_digit_codes() {
        // Province 11, born 1949-10-01, sequence 124.
        assert_eq!(kinds("张三 110105491001124"), [IdCard]);
        assert_eq!(found_text("身份证：110105491001124。"), ["110105491001124"]);
        assert_eq!(mask(IdCard, b"110105491001124"), "1101*******1124");
        // No such province (09), no such date (491301), masked.
        assert_clean("090105491001124 110105491301124 110105******124");
        // A 工商注册号 with its MOD 11,10 check, whatever its digits 7–12 look like.
        assert!(mod_11_10_valid(b"110105491001123"));
        assert_clean("注册号 110105491001123");
        // A 税务登记号: area code and a 组织机构代码 (check digit valid).
        assert!(org_code_valid(b"491001138"));
        assert_clean("税务登记号 110105491001138");
        // Longer and shorter runs are not old IDs.
        assert_clean("1101054910011245 11010549100112");
    }

    #[test]
    fn in_the_text_readers_see_an_id_may_touch_letters() {
        let n = id("11010519491001123");
        let glued = format!("IDNo{n}号 No.{n}a");
        assert!(scan(&glued).is_empty());
        let seen: Vec<_> = scan_seen(&glued).into_iter().map(|p| p.kind).collect();
        assert_eq!(seen, [IdCard, IdCard]);
        // Only ID cards with a valid check: not phones, not index numbers.
        assert!(scan_seen("Tel13812345678 11999001MB0000001X").is_empty());
    }

    /// [`groups`] one character at a time, as it was written before it skipped bytes.
    fn groups_char_by_char(text: &str) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        for (at, c) in text.char_indices() {
            if norm_char(c).is_none() {
                continue;
            }
            let end = at + c.len_utf8();
            match out.last_mut() {
                Some(last) if last.1 == at => last.1 = end,
                _ => out.push((at, end)),
            }
        }
        out
    }

    #[test]
    fn every_group_character_starts_with_a_byte_looked_at() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut utf8 = [0; 4];
            if norm_char(c).is_some() {
                assert!(
                    may_be_group(c.encode_utf8(&mut utf8).as_bytes()[0]),
                    "{c:?}"
                );
            }
        }
    }

    #[test]
    fn group_characters_are_told_from_their_bytes_as_when_decoded() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut utf8 = [0; 4];
            let bytes = c.encode_utf8(&mut utf8).as_bytes();
            let expected = norm_char(c).map(|_| c.len_utf8());
            assert_eq!(group_char_len(bytes, 0), expected, "{c:?}");
        }
    }

    proptest! {
        #[test]
        fn skipping_bytes_finds_the_same_groups(
            text in "[0-9０-９xXｘＸ*＊×ÃïＸ一-龥，。（）：；！？ａ-ｚ \n]{0,60}"
        ) {
            prop_assert_eq!(groups(&text).collect::<Vec<_>>(), groups_char_by_char(&text));
        }

        #[test]
        fn skipping_bytes_finds_the_same_groups_in_any_text(text in any::<String>()) {
            prop_assert_eq!(groups(&text).collect::<Vec<_>>(), groups_char_by_char(&text));
        }

        #[test]
        fn never_panics_and_spans_are_sound(text in any::<String>()) {
            check_invariants(&text)?;
        }

        #[test]
        fn never_panics_on_number_like_text(
            text in "[0-9０-９xXｘＸ*＊× \\-－+.\n\u{3000}a张|]{0,80}"
        ) {
            check_invariants(&text)?;
        }

        #[test]
        fn any_valid_id_is_found_exactly_once(
            area_first in 1u32..=8,
            area_rest in 0u32..100_000,
            date in date_strategy(),
            seq in 0u32..1000,
            lower in any::<bool>(),
            before in "[张某 ：:|，\n]{0,3}",
            after in "[张某 ：:|，\n]{0,3}",
        ) {
            let first17 = format!("{area_first}{area_rest:05}{date}{seq:03}");
            let mut n = id(&first17);
            if lower {
                n = n.replace('X', "x");
            }
            prop_assert!(is_valid_id_card(&n));
            let text = format!("{before}{n}{after}");
            let found = scan(&text);
            prop_assert_eq!(found.len(), 1, "{:?}", found);
            prop_assert_eq!(found[0].kind, IdCard);
            prop_assert_eq!(&text[found[0].span.clone()], n.as_str());
        }

        #[test]
        fn reports_are_consistent_with_the_checks(digits in "[0-9]{11,20}") {
            for p in scan(&digits) {
                let s = &digits[p.span.clone()];
                match p.kind {
                    IdCard => prop_assert!(is_valid_id_card(s) || old_id_valid(s.as_bytes())),
                    BankCard => prop_assert!(luhn_valid(s)),
                    Mobile => prop_assert!(s.len() >= 11),
                }
            }
            if digits.len() == 18 && !is_valid_id_card(&digits) {
                prop_assert!(!kinds(&digits).contains(&IdCard));
            }
        }
    }

    fn check_invariants(text: &str) -> Result<(), TestCaseError> {
        let found = scan(text);
        let mut last_end = 0;
        for p in &found {
            prop_assert!(p.span.start < p.span.end && p.span.end <= text.len());
            prop_assert!(text.is_char_boundary(p.span.start));
            prop_assert!(text.is_char_boundary(p.span.end));
            prop_assert!(p.span.start >= last_end, "out of order: {:?}", found);
            last_end = p.span.end;
            let newlines = text[..p.span.start].matches('\n').count();
            prop_assert_eq!(p.line as usize, 1 + newlines);
            prop_assert!(p.masked.contains('*') && p.masked.is_ascii());
        }
        let _ = is_valid_id_card(text);
        let _ = luhn_valid(text);
        Ok(())
    }
}
