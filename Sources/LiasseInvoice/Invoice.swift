/// An invoice in the EN 16931 semantic model, whatever its syntax.
///
/// The readers fill it with what the document says, nothing more: a missing element is
/// nil or an empty array, a repeated one is every occurrence, an empty one is an empty
/// `Text`. The model never rejects anything; judging is the rules' job.
public struct Invoice: Sendable {
    /// The syntax the invoice was read from.
    public var syntax: InvoiceSyntax
    /// The profile named by BT-24.
    public var profile: InvoiceProfile

    /// BT-1 Invoice number.
    public var number: Text?
    /// BT-2 Invoice issue date.
    public var issueDate: DateValue?
    /// BT-3 Invoice type code.
    public var typeCode: Text?
    /// BT-5 Invoice currency code.
    public var currency: Text?
    /// BT-6 VAT accounting currency code.
    public var vatAccountingCurrency: Text?
    /// BT-7 Value added tax point date.
    public var taxPointDate: DateValue?
    /// BT-8 Value added tax point date code.
    public var taxPointDateCode: Text?
    /// BT-9 Payment due date.
    public var dueDate: DateValue?
    /// BT-10 Buyer reference (Chorus Pro: the service code).
    public var buyerReference: Text?
    /// BT-11 Project reference.
    public var projectReference: Text?
    /// BT-12 Contract reference (Chorus Pro: the marché number).
    public var contractReference: Text?
    /// BT-13 Purchase order reference (Chorus Pro: the engagement number).
    public var purchaseOrderReference: Text?
    /// BT-14 Sales order reference.
    public var salesOrderReference: Text?
    /// BT-15 Receiving advice reference.
    public var receivingAdviceReference: Text?
    /// BT-16 Despatch advice reference.
    public var despatchAdviceReference: Text?
    /// BT-17 Tender or lot reference.
    public var tenderReference: Text?
    /// BT-18 Invoiced object identifier (with BT-18-1 scheme).
    public var invoicedObjectIdentifier: Text?
    /// BT-19 Buyer accounting reference.
    public var buyerAccountingReference: Text?
    /// BT-20 Payment terms.
    public var paymentTerms: [Text] = []
    /// BG-1 Invoice note (BT-21 subject code, BT-22 note).
    public var notes: [Note] = []
    /// BT-23 Business process type (Chorus Pro: the cadre de facturation).
    public var businessProcess: Text?
    /// BT-24 Specification identifier.
    public var specification: Text?
    /// BG-3 Preceding invoice reference.
    public var precedingInvoices: [PrecedingInvoice] = []

    /// BG-4 Seller.
    public var seller: Party?
    /// BG-7 Buyer.
    public var buyer: Party?
    /// BG-10 Payee.
    public var payee: Party?
    /// Payees named inside payment terms (CII `ram:SpecifiedTradePaymentTerms/ram:PayeeTradeParty`),
    /// outside EN 16931 but judged by the official payee rule.
    public var paymentTermsPayees: [Party] = []
    /// BG-11 Seller tax representative party.
    public var taxRepresentative: Party?
    /// BG-13 Delivery information.
    public var delivery: Delivery?
    /// BG-14 Invoicing period.
    public var invoicingPeriod: Period?
    /// BG-16 Payment instructions.
    public var paymentInstructions: [PaymentInstructions] = []
    /// BG-20 Document level allowances and BG-21 document level charges.
    public var allowancesAndCharges: [AllowanceCharge] = []
    /// BG-22 Document totals.
    public var totals: DocumentTotals = DocumentTotals()
    /// BG-23 VAT breakdown.
    public var vatBreakdown: [VATBreakdown] = []
    /// BG-24 Additional supporting documents.
    public var supportingDocuments: [SupportingDocument] = []
    /// BG-25 Invoice lines.
    public var lines: [InvoiceLine] = []
    /// Lines the UBL schema lets appear elsewhere than as children of the root, e.g. a
    /// `cac:InvoiceLine` in `cac:Delivery/cac:Shipment/cac:GoodsItem`, in document order. They
    /// are not invoice lines of EN 16931, but the official rules see them (their contexts and
    /// `//` paths match lines anywhere): docs/rules/DEVIATIONS.md.
    public var nestedLines: [NestedLine] = []
    /// Every additional referenced document as written, whatever its type code and level
    /// (supporting documents, tender or lot, invoiced object, line object identifiers).
    public var additionalReferences: [DocumentReference] = []

    public init(syntax: InvoiceSyntax, profile: InvoiceProfile) {
        self.syntax = syntax
        self.profile = profile
    }

    /// BG-20 document level allowances.
    public var allowances: [AllowanceCharge] { allowancesAndCharges.filter { !$0.isCharge } }
    /// BG-21 document level charges.
    public var charges: [AllowanceCharge] { allowancesAndCharges.filter { $0.isCharge } }
}

/// A UBL `cac:InvoiceLine` or `cac:CreditNoteLine` that is not a child of the root.
public struct NestedLine: Sendable, Hashable {
    /// True for a `cac:CreditNoteLine`, false for a `cac:InvoiceLine` (in a credit note,
    /// `//cac:InvoiceLine` finds only nested lines).
    public var isCreditNoteLine: Bool
    /// The line, read as the document's own lines are.
    public var line: InvoiceLine

    public init(isCreditNoteLine: Bool, line: InvoiceLine) {
        self.isCreditNoteLine = isCreditNoteLine
        self.line = line
    }
}

/// A date as written, with its parsed calendar value when the text is a valid date.
public struct DateValue: Sendable, Hashable {
    public var text: Text
    /// The format code (CII `format` attribute, `102` for YYYYMMDD), when present.
    public var format: String?
    /// The calendar date, when the text parses in the syntax's date format.
    public var date: CalendarDate?
    /// True when CII gives the date as an `udt:DateTime` (an `xs:dateTime`) instead of a
    /// formatted `udt:DateTimeString`: the EN 16931 rules only read the latter.
    public var writtenAsDateTime: Bool

    public init(text: Text, format: String? = nil, date: CalendarDate?, writtenAsDateTime: Bool = false) {
        self.text = text
        self.format = format
        self.date = date
        self.writtenAsDateTime = writtenAsDateTime
    }
}

/// A calendar date without time zone.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CalendarDate.days(inMonth: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` (UBL `xs:date`, without a time zone suffix).
    public init?(iso text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let y = CalendarDate.number(bytes[0..<4]), let m = CalendarDate.number(bytes[5..<7]),
              let d = CalendarDate.number(bytes[8..<10]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Parses `YYYYMMDD` (CII format 102).
    public init?(compact text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 8, let y = CalendarDate.number(bytes[0..<4]),
              let m = CalendarDate.number(bytes[4..<6]), let d = CalendarDate.number(bytes[6..<8]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

/// BG-1 Invoice note.
public struct Note: Sendable, Hashable {
    /// BT-21 Invoice note subject code.
    public var subjectCode: Text?
    /// BT-22 Invoice note.
    public var text: Text?
    public var location: SourceLocation
}

/// BG-3 Preceding invoice reference.
public struct PrecedingInvoice: Sendable, Hashable {
    /// BT-25 Preceding invoice reference.
    public var reference: Text?
    /// BT-26 Preceding invoice issue date.
    public var issueDate: DateValue?
    public var location: SourceLocation
}

/// BG-14 and BG-26 periods.
public struct Period: Sendable, Hashable {
    /// BT-73 / BT-134 start date.
    public var start: DateValue?
    /// BT-74 / BT-135 end date.
    public var end: DateValue?
    public var location: SourceLocation
    /// How many child elements the period group has (a period may carry only a date code).
    public var elementCount: Int = 0

    public init(start: DateValue?, end: DateValue?, location: SourceLocation, elementCount: Int = 0) {
        self.start = start
        self.end = end
        self.location = location
        self.elementCount = elementCount
    }
}
