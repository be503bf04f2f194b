import CQPDF
import Glibc

/// One object of an open ``PDFFile``: an index into that file's handle table, meaningless
/// for any other file and never shown outside this module.
struct PDFObject {
    fileprivate let handle: qpdf_oh
}

/// The number and generation of an indirect object: what makes two references the same object.
struct PDFObjectID: Hashable, Sendable, CustomStringConvertible {
    var number: Int32
    var generation: Int32

    var description: String { "\(number) \(generation) R" }
}

/// Why a PDF could not be opened or read on.
enum PDFReadError: Error, Equatable {
    /// The file is encrypted (with a user password, or an owner password only).
    case encrypted
    /// The cross-reference table or an object is damaged; recovery is switched off on purpose.
    case damaged(String)
    /// Anything else qpdf refuses: not a PDF, unsupported feature, I/O.
    case unreadable(String)
}

/// A PDF opened with libqpdf, read-only, from memory.
///
/// Recovery of damaged cross-reference tables is switched off (see docs/FACTURX.md: a
/// rebuilt table is a guess, and two readers may guess differently), warnings and errors are
/// kept rather than printed, and every call that can fail is checked at once. Stream data
/// is only ever taken raw: qpdf's own decoding has no size cap.
///
/// The qpdf handle is not thread-safe: one file per task, freed in `deinit`.
final class PDFFile {
    private let qpdf: qpdf_data
    /// qpdf reads the input in place: the copy lives as long as the handle.
    private let buffer: UnsafeMutableBufferPointer<CChar>

    /// Opens `bytes` as a PDF.
    ///
    /// - Throws: `.encrypted` for any encrypted file (an owner-password-only file opens
    ///   silently with qpdf: it is tested and refused here), `.damaged` when the structure is
    ///   broken, `.unreadable` otherwise.
    init(bytes: [UInt8], description: String = "factur-x.pdf") throws(PDFReadError) {
        guard let handle = qpdf_init() else { throw .unreadable("cannot allocate a PDF reader") }
        qpdf = handle
        buffer = .allocate(capacity: max(bytes.count, 1))
        _ = bytes.withUnsafeBufferPointer { source in
            source.withMemoryRebound(to: CChar.self) { buffer.initialize(from: $0) }
        }
        qpdf_silence_errors(qpdf)
        qpdf_set_suppress_warnings(qpdf, QPDF_TRUE)
        qpdf_set_attempt_recovery(qpdf, QPDF_FALSE)
        _ = qpdf_read_memory(qpdf, description, buffer.baseAddress, UInt64(bytes.count), nil)
        try check()
        if qpdf_is_encrypted(qpdf) != QPDF_FALSE {
            throw .encrypted
        }
        try check()
    }

    deinit {
        var handle: qpdf_data? = qpdf
        qpdf_cleanup(&handle)
        buffer.deallocate()
    }

    /// Throws the pending qpdf error, if any, classified.
    private func check() throws(PDFReadError) {
        guard qpdf_has_error(qpdf) != QPDF_FALSE, let error = qpdf_get_error(qpdf) else { return }
        let code = qpdf_get_error_code(qpdf, error)
        let text = qpdf_get_error_full_text(qpdf, error).map { String(cString: $0) } ?? "unknown PDF error"
        switch code {
        case qpdf_e_password:
            throw .encrypted
        case qpdf_e_damaged_pdf, qpdf_e_pages, qpdf_e_object:
            throw .damaged(text)
        default:
            throw .unreadable(text)
        }
    }

    /// The warnings qpdf gathered so far, copied out (each call drains them).
    func drainWarnings() -> [String] {
        var warnings: [String] = []
        while qpdf_more_warnings(qpdf) != QPDF_FALSE, let warning = qpdf_next_warning(qpdf) {
            warnings.append(qpdf_get_error_full_text(qpdf, warning).map { String(cString: $0) } ?? "warning")
        }
        return warnings
    }

    /// The PDF version from the header (`1.7`, `2.0`).
    var version: String {
        qpdf_get_pdf_version(qpdf).map { String(cString: $0) } ?? ""
    }

    /// The document catalog.
    func root() throws(PDFReadError) -> PDFObject {
        let object = PDFObject(handle: qpdf_get_root(qpdf))
        try check()
        return object
    }

    /// The value of `key` (`/AF`) in a dictionary or a stream's dictionary, or nil when it is
    /// absent, null, or `object` has no dictionary.
    func value(_ object: PDFObject, _ key: String) throws(PDFReadError) -> PDFObject? {
        var dictionary = object
        if qpdf_oh_is_stream(qpdf, object.handle) != QPDF_FALSE {
            dictionary = PDFObject(handle: qpdf_oh_get_dict(qpdf, object.handle))
        }
        try check()
        guard qpdf_oh_is_dictionary(qpdf, dictionary.handle) != QPDF_FALSE else { try check(); return nil }
        let found = PDFObject(handle: qpdf_oh_get_key(qpdf, dictionary.handle, key))
        try check()
        if qpdf_oh_is_null(qpdf, found.handle) != QPDF_FALSE || qpdf_oh_is_initialized(qpdf, found.handle) == QPDF_FALSE {
            try check()
            return nil
        }
        return found
    }

    func isArray(_ object: PDFObject) throws(PDFReadError) -> Bool {
        let result = qpdf_oh_is_array(qpdf, object.handle) != QPDF_FALSE
        try check()
        return result
    }

    func isDictionary(_ object: PDFObject) throws(PDFReadError) -> Bool {
        let result = qpdf_oh_is_dictionary(qpdf, object.handle) != QPDF_FALSE
        try check()
        return result
    }

    func isStream(_ object: PDFObject) throws(PDFReadError) -> Bool {
        let result = qpdf_oh_is_stream(qpdf, object.handle) != QPDF_FALSE
        try check()
        return result
    }

    /// The items of an array (an empty list for anything else).
    func items(_ object: PDFObject) throws(PDFReadError) -> [PDFObject] {
        guard try isArray(object) else { return [] }
        let count = Int(qpdf_oh_get_array_n_items(qpdf, object.handle))
        try check()
        var result: [PDFObject] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            result.append(PDFObject(handle: qpdf_oh_get_array_item(qpdf, object.handle, Int32(index))))
            try check()
        }
        return result
    }

    /// A string object as UTF-8 (PDFDocEncoding and UTF-16 converted), or nil when `object` is
    /// not a string.
    func text(_ object: PDFObject) throws(PDFReadError) -> String? {
        guard qpdf_oh_is_string(qpdf, object.handle) != QPDF_FALSE else { try check(); return nil }
        let value = qpdf_oh_get_utf8_value(qpdf, object.handle).map { String(cString: $0) }
        try check()
        return value
    }

    /// A string object's raw bytes, for comparing name-tree keys as the PDF orders them.
    func rawText(_ object: PDFObject) throws(PDFReadError) -> [UInt8]? {
        guard qpdf_oh_is_string(qpdf, object.handle) != QPDF_FALSE else { try check(); return nil }
        var length = 0
        let pointer = qpdf_oh_get_binary_string_value(qpdf, object.handle, &length)
        try check()
        guard let pointer else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }

    /// A name object without its slash (`FlateDecode`), or nil when `object` is not a name.
    func name(_ object: PDFObject) throws(PDFReadError) -> String? {
        guard qpdf_oh_is_name(qpdf, object.handle) != QPDF_FALSE else { try check(); return nil }
        let value = qpdf_oh_get_name(qpdf, object.handle).map { String(cString: $0) }
        try check()
        guard let value else { return nil }
        return value.hasPrefix("/") ? String(value.dropFirst()) : value
    }

    /// An integer object's value, or nil.
    func integer(_ object: PDFObject) throws(PDFReadError) -> Int64? {
        guard qpdf_oh_is_integer(qpdf, object.handle) != QPDF_FALSE else { try check(); return nil }
        let value = qpdf_oh_get_int_value(qpdf, object.handle)
        try check()
        return value
    }

    /// The identity of an indirect object, or nil for a direct one.
    func identity(_ object: PDFObject) throws(PDFReadError) -> PDFObjectID? {
        guard qpdf_oh_is_indirect(qpdf, object.handle) != QPDF_FALSE else { try check(); return nil }
        let id = PDFObjectID(number: qpdf_oh_get_object_id(qpdf, object.handle),
                             generation: qpdf_oh_get_generation(qpdf, object.handle))
        try check()
        return id
    }

    /// The text of the string at `key` in `object`, or nil when absent or not a string.
    func textValue(_ object: PDFObject, _ key: String) throws(PDFReadError) -> String? {
        guard let found = try value(object, key) else { return nil }
        return try text(found)
    }

    /// The name at `key` in `object` without its slash, or nil when absent or not a name.
    func nameValue(_ object: PDFObject, _ key: String) throws(PDFReadError) -> String? {
        guard let found = try value(object, key) else { return nil }
        return try name(found)
    }

    /// A stream's bytes exactly as stored, filters not applied.
    ///
    /// Decoding is the caller's job, under a cap: qpdf's own decoding would inflate a
    /// 300 MB attachment whole.
    func rawStreamData(_ object: PDFObject) throws(PDFReadError) -> [UInt8] {
        var pointer: UnsafeMutablePointer<UInt8>?
        var length = 0
        _ = qpdf_oh_get_stream_data(qpdf, object.handle, qpdf_dl_none, nil, &pointer, &length)
        defer { free(pointer) }
        try check()
        guard let pointer else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: length))
    }
}
