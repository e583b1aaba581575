//! Why a file operation or a file-format reader failed, said in Chinese for the clerk reading
//! the message. The libraries' own texts are English ("No such file or directory (os error 2)",
//! "invalid Zip archive: …"); every user-facing message that reports such a failure goes
//! through here instead. Only a failure no clerk can act on keeps the library's text, marked as
//! a technical detail for whoever supports them.

use std::io::ErrorKind;

/// The reason an operating-system call failed: what it means for the clerk, and the system's
/// error number (so support can look it up).
pub fn io(err: &std::io::Error) -> String {
    let what = match err.kind() {
        ErrorKind::NotFound => "找不到这个文件或文件夹",
        ErrorKind::PermissionDenied => "没有权限（请检查文件的权限，或是否被其他程序占用）",
        ErrorKind::AlreadyExists => "已经存在同名的文件或文件夹",
        ErrorKind::NotADirectory => "路径中有一段是文件而不是文件夹",
        ErrorKind::IsADirectory => "这是一个文件夹，不是文件",
        ErrorKind::DirectoryNotEmpty => "文件夹不是空的",
        ErrorKind::ReadOnlyFilesystem => "所在的磁盘是只读的",
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => "磁盘空间不足",
        ErrorKind::FileTooLarge => "文件太大",
        ErrorKind::InvalidFilename => "文件名无效或太长",
        ErrorKind::ResourceBusy | ErrorKind::ExecutableFileBusy => "文件正被其他程序使用",
        ErrorKind::CrossesDevices => "不能跨磁盘移动",
        ErrorKind::InvalidData => "内容无法按要求的格式读取",
        ErrorKind::UnexpectedEof => "文件不完整（提前结束）",
        ErrorKind::OutOfMemory => "内存不足",
        ErrorKind::TimedOut => "操作超时",
        ErrorKind::AddrInUse => "端口已被占用",
        ErrorKind::AddrNotAvailable => "这个地址在本机上不可用",
        _ => return with_detail("系统错误", err),
    };
    match err.raw_os_error() {
        Some(code) => format!("{what}（系统错误码 {code}）"),
        None => what.to_owned(),
    }
}

/// The reason a spreadsheet (`.xlsx`, `.xls`, `.ods`) could not be read.
pub fn workbook(err: &calamine::Error) -> String {
    use calamine::{Error, OdsError, XlsError};
    match err {
        Error::Io(e) => io(e),
        Error::Xlsx(e) => xlsx(e),
        Error::Xls(XlsError::Password) | Error::Ods(OdsError::Password) => PASSWORD.to_owned(),
        Error::Xls(XlsError::Io(e)) | Error::Ods(OdsError::Io(e)) => io(e),
        Error::Xls(XlsError::Cfb(_)) | Error::Ods(OdsError::Zip(_)) => DAMAGED.to_owned(),
        Error::Xls(XlsError::WorksheetNotFound(name))
        | Error::Ods(OdsError::WorksheetNotFound(name)) => format!("找不到工作表“{name}”"),
        Error::Msg(_) => DAMAGED.to_owned(),
        other => with_detail(UNREADABLE, other),
    }
}

/// The reason an `.xlsx` workbook could not be read.
pub fn xlsx(err: &calamine::XlsxError) -> String {
    use calamine::XlsxError;
    match err {
        XlsxError::Io(e) => io(e),
        XlsxError::Zip(e) => zip(e),
        XlsxError::Password => PASSWORD.to_owned(),
        XlsxError::WorksheetNotFound(name) => format!("找不到工作表“{name}”"),
        XlsxError::FileNotFound(_) | XlsxError::RelationshipNotFound => DAMAGED.to_owned(),
        other => with_detail(UNREADABLE, other),
    }
}

/// The reason a zip container (`.xlsx`, `.docx`) could not be opened.
pub fn zip(err: &zip::result::ZipError) -> String {
    use zip::result::ZipError;
    match err {
        ZipError::Io(e) => io(e),
        ZipError::InvalidPassword => PASSWORD.to_owned(),
        ZipError::FileNotFound | ZipError::InvalidArchive(_) => DAMAGED.to_owned(),
        other => with_detail(UNREADABLE, other),
    }
}

/// The reason a CSV row could not be read.
pub fn csv(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::Io(e) => io(e),
        csv::ErrorKind::Utf8 { .. } => {
            "含有不是 UTF-8 编码的文字（请把文件另存为“CSV UTF-8”）".to_owned()
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("这一行有 {len} 列，表头有 {expected_len} 列")
        }
        _ => with_detail(UNREADABLE, err),
    }
}

/// The reason a PDF file could not be opened.
pub fn pdf(err: &hayro_interpret::hayro_syntax::LoadPdfError) -> String {
    use hayro_interpret::hayro_syntax::LoadPdfError;
    match err {
        LoadPdfError::Decryption(_) => PASSWORD.to_owned(),
        LoadPdfError::Invalid => "文件已损坏，或者不是 PDF 文件".to_owned(),
    }
}

const PASSWORD: &str = "文件设置了打开密码，无法读取";
const DAMAGED: &str = "文件已损坏，或者不是它的扩展名所说的格式（例如别的文件被改成了这个扩展名）";
const UNREADABLE: &str = "文件内容不符合它的格式";

/// `what`, with the library's own text kept as a technical detail.
fn with_detail(what: &str, detail: &dyn std::fmt::Display) -> String {
    format!("{what}（技术细节：{detail}）")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_failures_are_explained_in_chinese_with_the_system_number() {
        let missing = std::fs::read("/definitely/not/here").expect_err("missing");
        assert_eq!(io(&missing), "找不到这个文件或文件夹（系统错误码 2）");
        let custom = std::io::Error::new(ErrorKind::UnexpectedEof, "eof");
        assert_eq!(io(&custom), "文件不完整（提前结束）");
    }

    #[test]
    fn a_file_that_is_not_a_zip_is_called_damaged_not_an_invalid_archive() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fake = dir.path().join("表.xlsx");
        std::fs::write(&fake, "这其实是一个文本文件").expect("write");
        let Err(err) = calamine::open_workbook_auto(&fake) else {
            panic!("a text file opened as a workbook");
        };
        assert_eq!(workbook(&err), DAMAGED);
        let err =
            zip::ZipArchive::new(std::fs::File::open(&fake).expect("open")).expect_err("not a zip");
        assert_eq!(zip(&err), DAMAGED);
    }
}
