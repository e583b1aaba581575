//! A look inside an old Excel workbook (`.xls`) before calamine reads it. An `.xls` file is not
//! compressed, but its reader sizes memory from what the file claims: each sheet becomes one
//! block spanning its first to its last cell (a cell at A1 and one at column 65,536 of row
//! 65,536 make four billion), a sheet's DIMENSIONS record reserves its area up front, and the
//! shared-string table its declared count. [`check_xls`] reads the file's compound-document
//! container (CFB) just far enough to find the workbook stream, walks its records and refuses a
//! file whose sheets together span more than [`Limits::cells`] or which declares more than
//! [`Limits::shared_strings`] strings.

use super::bounds::{Breach, Refused, too_many_cells};
use crate::model::Limits;

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;

fn damaged() -> Refused {
    Refused::Unreadable("文件已损坏，或者不是 Excel 97-2003 工作簿（.xls）".to_owned())
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The compound document's sectors and allocation table.
struct Cfb<'a> {
    bytes: &'a [u8],
    shift: u32,
    fat: Vec<u32>,
}

impl Cfb<'_> {
    fn sector(&self, n: u32) -> Option<&[u8]> {
        let size = 1usize << self.shift;
        let start = (usize::try_from(n).ok()? + 1).checked_mul(size)?;
        self.bytes.get(start..start.checked_add(size)?)
    }

    /// The sectors of a chain, in order (a loop or a bad link is damage).
    fn chain(&self, start: u32) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut n = start;
        let mut steps = 0;
        while n != END_OF_CHAIN {
            steps += 1;
            if steps > self.fat.len() + 1 {
                return None;
            }
            out.extend_from_slice(self.sector(n)?);
            n = *self.fat.get(usize::try_from(n).ok()?)?;
        }
        Some(out)
    }
}

/// The workbook stream (`Workbook`, or `Book` in Excel 5 files) of a compound document.
fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return None;
    }
    let shift = u32::from(u16_at(bytes, 0x1E)?);
    if !(7..=16).contains(&shift) {
        return None;
    }
    let mini_shift = u32::from(u16_at(bytes, 0x20)?);
    let mut cfb = Cfb {
        bytes,
        shift,
        fat: Vec::new(),
    };
    // The allocation table's sectors: 109 listed in the header, then DIFAT sectors.
    let mut fat_sectors: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(bytes, 0x4C + 4 * i))
        .filter(|&s| s != FREE && s != END_OF_CHAIN)
        .collect();
    let mut difat = u32_at(bytes, 0x44)?;
    let per_sector = (1usize << shift) / 4;
    let mut guard = 0;
    while difat != END_OF_CHAIN && difat != FREE {
        guard += 1;
        if guard > bytes.len() >> shift {
            return None;
        }
        let sector = cfb.sector(difat)?;
        for i in 0..per_sector - 1 {
            let s = u32_at(sector, 4 * i)?;
            if s != FREE && s != END_OF_CHAIN {
                fat_sectors.push(s);
            }
        }
        difat = u32_at(sector, 4 * (per_sector - 1))?;
    }
    let mut fat = Vec::new();
    for s in fat_sectors {
        let sector = cfb.sector(s)?;
        fat.extend((0..per_sector).filter_map(|i| u32_at(sector, 4 * i)));
    }
    cfb.fat = fat;
    let directory = cfb.chain(u32_at(bytes, 0x30)?)?;
    let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
    let root = entries.first()?;
    let cutoff = u64::from(u32_at(bytes, 0x38)?);
    let stream = entries.iter().find(|e| {
        let len = usize::from(u16_at(e, 0x40).unwrap_or(0)).min(64);
        let name: Vec<u16> = e[..len]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|&u| u != 0)
            .collect();
        e[0x42] == 2
            && matches!(
                String::from_utf16_lossy(&name).as_str(),
                "Workbook" | "Book"
            )
    })?;
    let start = u32_at(stream, 0x74)?;
    let size = usize::try_from(u32_at(stream, 0x78)?).ok()?;
    let mut data = if (size as u64) < cutoff {
        // A small stream lives in the mini stream, in 64-byte sectors of its own table.
        let mini = cfb.chain(u32_at(root, 0x74)?)?;
        let mini_fat_bytes = cfb.chain(u32_at(bytes, 0x3C)?)?;
        let mini_fat: Vec<u32> = mini_fat_bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let mini_size = 1usize << mini_shift;
        let mut out = Vec::new();
        let mut n = start;
        let mut steps = 0;
        while n != END_OF_CHAIN {
            steps += 1;
            if steps > mini_fat.len() + 1 {
                return None;
            }
            let at = usize::try_from(n).ok()?.checked_mul(mini_size)?;
            out.extend_from_slice(mini.get(at..at + mini_size)?);
            n = *mini_fat.get(usize::try_from(n).ok()?)?;
        }
        out
    } else {
        cfb.chain(start)?
    };
    data.truncate(size);
    Some(data)
}

/// Checks an `.xls` file's bytes against `limits` (see the module documentation).
pub fn check_xls(bytes: &[u8], limits: &Limits) -> Result<(), Refused> {
    let stream = workbook_stream(bytes).ok_or_else(damaged)?;
    // Each sheet's bounding box of cells (first row, last row, first column, last column).
    let mut boxes: Vec<Option<(u32, u32, u32, u32)>> = Vec::new();
    let mut at = 0;
    let area = |b: &Option<(u32, u32, u32, u32)>| {
        b.map_or(0u64, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    };
    while let (Some(typ), Some(len)) = (u16_at(&stream, at), u16_at(&stream, at + 2)) {
        let data = stream
            .get(at + 4..at + 4 + usize::from(len))
            .unwrap_or_default();
        at += 4 + usize::from(len);
        let mut cell = |row: u32, first: u32, last: u32| {
            let b = boxes.last_mut();
            if let Some(b) = b {
                *b = Some(match *b {
                    None => (row, row, first, last),
                    Some((r0, r1, c0, c1)) => {
                        (r0.min(row), r1.max(row), c0.min(first), c1.max(last))
                    }
                });
            }
        };
        match typ {
            // BOF: a new substream (a sheet, or the workbook globals).
            0x0809 => boxes.push(None),
            // DIMENSIONS: the reader reserves the area it claims.
            0x0200 => {
                let (rows, cols) = if len >= 14 {
                    let (r0, r1) = (u32_at(data, 0).unwrap_or(0), u32_at(data, 4).unwrap_or(0));
                    let (c0, c1) = (u16_at(data, 8).unwrap_or(0), u16_at(data, 10).unwrap_or(0));
                    (r1.saturating_sub(r0), u32::from(c1.saturating_sub(c0)))
                } else {
                    let (r0, r1) = (u16_at(data, 0).unwrap_or(0), u16_at(data, 2).unwrap_or(0));
                    let (c0, c1) = (u16_at(data, 4).unwrap_or(0), u16_at(data, 6).unwrap_or(0));
                    (
                        u32::from(r1.saturating_sub(r0)),
                        u32::from(c1.saturating_sub(c0)),
                    )
                };
                if u64::from(rows) * u64::from(cols) > limits.cells {
                    return Err(too_many_cells(limits).into());
                }
            }
            // Cells: row and column first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x0201 => {
                if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                    cell(u32::from(r), u32::from(c), u32::from(c));
                }
            }
            // MULRK / MULBLANK: a row, a first column, …, a last column.
            0x00BD | 0x00BE => {
                if let (Some(r), Some(c0), Some(c1)) = (
                    u16_at(data, 0),
                    u16_at(data, 2),
                    data.len().checked_sub(2).and_then(|i| u16_at(data, i)),
                ) {
                    cell(u32::from(r), u32::from(c0), u32::from(c1.max(c0)));
                }
            }
            // SST: the shared strings, their count declared after the total.
            0x00FC if u64::from(u32_at(data, 4).unwrap_or(0)) > limits.shared_strings => {
                return Err(Breach(format!(
                    "工作簿的共享字符串超过 {} 个（检查上限 shared_strings）",
                    limits.shared_strings
                ))
                .into());
            }
            _ => {}
        }
        if boxes.iter().map(area).sum::<u64>() > limits.cells {
            return Err(too_many_cells(limits).into());
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A compound document of 512-byte sectors holding one `Workbook` stream of `records`
    /// (padded past the mini-stream cutoff, so it lives in ordinary sectors).
    pub(crate) fn xls(records: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let mut stream = Vec::new();
        for (typ, data) in records {
            stream.extend_from_slice(&typ.to_le_bytes());
            stream.extend_from_slice(&(data.len() as u16).to_le_bytes());
            stream.extend_from_slice(data);
        }
        // EOF records as padding.
        while stream.len() < 4096 {
            stream.extend_from_slice(&[0x0A, 0x00, 0x00, 0x00]);
        }
        let size = stream.len();
        stream.resize(size.div_ceil(512) * 512, 0);
        let sectors = stream.len() / 512;
        let mut header = vec![0u8; 512];
        header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        header[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
        header[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
        header[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes());
        header[0x30..0x34].copy_from_slice(&1u32.to_le_bytes());
        header[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
        header[0x3C..0x40].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        header[0x44..0x48].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        for i in 0..109 {
            let v = if i == 0 { 0 } else { FREE };
            header[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&v.to_le_bytes());
        }
        let mut fat = vec![0xFFFF_FFFDu32, END_OF_CHAIN];
        for i in 0..sectors {
            fat.push(if i + 1 == sectors {
                END_OF_CHAIN
            } else {
                (i + 3) as u32
            });
        }
        fat.resize(128, FREE);
        let mut directory = vec![0u8; 512];
        let name = |d: &mut [u8], text: &str, typ: u8, start: u32, size: u32| {
            let units: Vec<u16> = text.encode_utf16().chain([0]).collect();
            for (i, u) in units.iter().enumerate() {
                d[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
            }
            d[0x40..0x42].copy_from_slice(&((units.len() * 2) as u16).to_le_bytes());
            d[0x42] = typ;
            d[0x74..0x78].copy_from_slice(&start.to_le_bytes());
            d[0x78..0x7C].copy_from_slice(&size.to_le_bytes());
        };
        name(&mut directory[..128], "Root Entry", 5, END_OF_CHAIN, 0);
        name(&mut directory[128..256], "Workbook", 2, 2, size as u32);
        let mut out = header;
        out.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
        out.extend_from_slice(&directory);
        out.extend_from_slice(&stream);
        out
    }

    fn number(row: u16, col: u16) -> (u16, Vec<u8>) {
        let mut d = Vec::new();
        d.extend_from_slice(&row.to_le_bytes());
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&[0; 10]);
        (0x0203, d)
    }

    #[test]
    fn cells_far_apart_or_a_huge_dimension_are_refused() {
        let limits = Limits::default();
        let bof = (0x0809, vec![0; 16]);
        let small = xls(&[bof.clone(), number(0, 0), number(99, 9)]);
        assert!(check_xls(&small, &limits).is_ok());
        let far = xls(&[bof.clone(), number(0, 0), number(65535, 255)]);
        assert!(matches!(check_xls(&far, &limits), Err(Refused::TooBig(_))));
        let mut dims = Vec::new();
        for v in [0u32, 0xFFFF_FFFF] {
            dims.extend_from_slice(&v.to_le_bytes());
        }
        dims.extend_from_slice(&[0, 0, 0xFF, 0xFF, 0, 0]);
        let claimed = xls(&[bof.clone(), (0x0200, dims)]);
        assert!(matches!(
            check_xls(&claimed, &limits),
            Err(Refused::TooBig(_))
        ));
        let mut sst = vec![0; 4];
        sst.extend_from_slice(&u32::MAX.to_le_bytes());
        let strings = xls(&[bof, (0x00FC, sst)]);
        assert!(matches!(
            check_xls(&strings, &limits),
            Err(Refused::TooBig(_))
        ));
        assert!(matches!(
            check_xls(b"not a workbook", &limits),
            Err(Refused::Unreadable(_))
        ));
    }
}
