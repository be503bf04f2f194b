/// BG-16 Payment instructions.
public struct PaymentInstructions: Sendable, Hashable {
    /// BT-81 Payment means type code.
    public var meansCode: Text?
    /// BT-82 Payment means text.
    public var meansText: Text?
    /// BT-83 Remittance information.
    public var remittanceInformation: Text?
    /// BG-17 Credit transfers.
    public var creditTransfers: [CreditTransfer] = []
    /// BG-18 Payment card information.
    public var card: PaymentCard?
    /// BG-19 Direct debit.
    public var directDebit: DirectDebit?
    public var location: SourceLocation

    public init(location: SourceLocation) {
        self.location = location
    }
}

/// BG-17 Credit transfer.
public struct CreditTransfer: Sendable, Hashable {
    /// BT-84 Payment account identifier (IBAN, or proprietary).
    public var accountIdentifier: Text?
    /// BT-85 Payment account name.
    public var accountName: Text?
    /// BT-86 Payment service provider identifier (BIC).
    public var serviceProvider: Text?
    /// The account identifier when written as an IBAN (CII `IBANID`; nil in UBL, which has one
    /// element for both forms): the rules judge the IBAN and the proprietary form separately.
    public var ibanIdentifier: Text?
    /// The account identifier when written in a proprietary form (CII `ProprietaryID`).
    public var proprietaryIdentifier: Text?
    public var location: SourceLocation

    public init(location: SourceLocation) {
        self.location = location
    }
}

/// BG-18 Payment card information.
public struct PaymentCard: Sendable, Hashable {
    /// BT-87 Payment card primary account number.
    public var primaryAccountNumber: Text?
    /// BT-88 Payment card holder name.
    public var holderName: Text?
    public var location: SourceLocation
}

/// BG-19 Direct debit.
public struct DirectDebit: Sendable, Hashable {
    /// BT-89 Mandate reference identifier.
    public var mandateReference: Text?
    /// BT-90 Bank assigned creditor identifier.
    public var creditorIdentifier: Text?
    /// BT-91 Debited account identifier.
    public var debitedAccount: Text?
    public var location: SourceLocation
}

/// A VAT category as written on a line, an allowance or charge, or a breakdown: the code, the
/// rate and the tax scheme it is declared under, each as written.
public struct TaxCategoryEntry: Sendable, Hashable {
    /// The VAT category code (BT-95, BT-102, BT-118, BT-151).
    public var code: Text?
    /// The VAT rate (BT-96, BT-103, BT-119, BT-152).
    public var rate: Amount?
    /// The tax scheme or tax type code (`VAT`), as written (UBL `cac:TaxScheme/cbc:ID`, CII `ram:TypeCode`).
    public var taxScheme: Text?
    /// BT-120 VAT exemption reason text, when the syntax puts it with the category.
    public var exemptionReason: Text?
    /// BT-121 VAT exemption reason code, when the syntax puts it with the category.
    public var exemptionReasonCode: Text?
    /// Whether a tax point date element is written with the category (CII allows it on any tax).
    public var hasTaxPointDate = false
    /// A tax point date code written with the category (CII allows it on any tax).
    public var dueDateTypeCode: Text?
    public var location: SourceLocation

    public init(location: SourceLocation) {
        self.location = location
    }
}

/// BG-20 document level allowance or BG-21 document level charge.
public struct AllowanceCharge: Sendable, Hashable {
    /// True for a charge (BG-21), false for an allowance (BG-20).
    public var isCharge: Bool
    /// The charge indicator exactly as written (`true`, `false`, `1`, `0`), nil when absent:
    /// the official rules read it both as a boolean and as a literal.
    public var indicator: Text?
    /// Every VAT category the allowance or charge carries (the first one gives BT-95/BT-102
    /// and BT-96/BT-103).
    public var taxCategories: [TaxCategoryEntry] = []
    /// BT-92 / BT-99 amount.
    public var amount: Amount?
    /// BT-93 / BT-100 base amount.
    public var baseAmount: Amount?
    /// BT-94 / BT-101 percentage.
    public var percentage: Amount?
    /// BT-95 / BT-102 VAT category code.
    public var vatCategory: Text?
    /// BT-96 / BT-103 VAT rate.
    public var vatRate: Amount?
    /// BT-97 / BT-104 reason.
    public var reason: Text?
    /// BT-98 / BT-105 reason code.
    public var reasonCode: Text?
    /// Payment card numbers written inside the allowance or charge (UBL allows
    /// `cac:PaymentMeans` there; EN 16931 does not), kept because BR-51 reads them.
    public var paymentCardNumbers: [Text] = []
    public var location: SourceLocation

    public init(isCharge: Bool, location: SourceLocation) {
        self.isCharge = isCharge
        self.location = location
    }
}

/// BG-22 Document totals.
public struct DocumentTotals: Sendable, Hashable {
    /// Where the totals group is, nil when the document has none.
    public var location: SourceLocation?
    /// BT-106 Sum of invoice line net amount.
    public var lineNetSum: Amount?
    /// BT-107 Sum of allowances on document level.
    public var allowanceSum: Amount?
    /// BT-108 Sum of charges on document level.
    public var chargeSum: Amount?
    /// BT-109 Invoice total amount without VAT.
    public var taxExclusive: Amount?
    /// BT-110 Invoice total VAT amount (every occurrence: in UBL and CII the one in the
    /// invoice currency and the one in the accounting currency sit side by side).
    public var vatTotals: [Amount] = []
    /// BT-112 Invoice total amount with VAT.
    public var taxInclusive: Amount?
    /// BT-113 Paid amount.
    public var prepaid: Amount?
    /// BT-114 Rounding amount.
    public var rounding: Amount?
    /// BT-115 Amount due for payment.
    public var due: Amount?

    public init() {}
}

/// BG-23 VAT breakdown.
public struct VATBreakdown: Sendable, Hashable {
    /// BT-116 VAT category taxable amount.
    public var taxableAmount: Amount?
    /// BT-117 VAT category tax amount.
    public var taxAmount: Amount?
    /// BT-118 VAT category code.
    public var category: Text?
    /// BT-119 VAT category rate.
    public var rate: Amount?
    /// BT-120 VAT exemption reason text.
    public var exemptionReason: Text?
    /// BT-121 VAT exemption reason code.
    public var exemptionReasonCode: Text?
    /// The tax scheme or tax type code the breakdown is declared under (`VAT`), as written.
    public var taxScheme: Text?
    /// The index in `DocumentTotals.vatTotals` of the VAT total this breakdown belongs to, when
    /// the syntax nests breakdowns in totals (UBL `cac:TaxTotal`).
    public var totalIndex: Int?
    /// Whether the breakdown carries a tax point date element (CII puts BT-7 here).
    public var hasTaxPointDate: Bool = false
    /// The tax point date code written on the breakdown (CII puts BT-8 here).
    public var dueDateTypeCode: Text?
    public var location: SourceLocation

    public init(location: SourceLocation) {
        self.location = location
    }
}

/// A referenced document as written: BG-24 supporting documents, BT-17 tender reference,
/// BT-18 invoiced object and BT-128 line object identifiers all share this shape.
public struct DocumentReference: Sendable, Hashable {
    /// The document identifier.
    public var identifier: Text?
    /// The document type code (`130`, `50`, `916`…).
    public var typeCode: Text?
    public var location: SourceLocation

    public init(identifier: Text?, typeCode: Text?, location: SourceLocation) {
        self.identifier = identifier
        self.typeCode = typeCode
        self.location = location
    }
}

/// BG-24 Additional supporting document.
public struct SupportingDocument: Sendable, Hashable {
    /// BT-122 Supporting document reference.
    public var reference: Text?
    /// BT-123 Supporting document description.
    public var description: Text?
    /// BT-124 External document location.
    public var externalLocation: Text?
    /// BT-125 Attached document, as its base64 text; BT-125-1 MIME code and BT-125-2 file
    /// name sit in `mimeCode` and `fileName`.
    public var attachment: Text?
    /// BT-125-1 Attached document MIME code.
    public var mimeCode: String?
    /// BT-125-2 Attached document filename.
    public var fileName: String?
    public var location: SourceLocation

    public init(location: SourceLocation) {
        self.location = location
    }
}

/// BG-25 Invoice line.
public struct InvoiceLine: Sendable, Hashable {
    /// BT-126 Invoice line identifier.
    public var identifier: Text?
    /// BT-127 Invoice line note.
    public var note: Text?
    /// BT-128 Invoice line object identifier.
    public var objectIdentifier: Text?
    /// BT-129 Invoiced quantity, with BT-130 unit of measure code as `unit`.
    public var quantity: Amount?
    /// BT-131 Invoice line net amount.
    public var netAmount: Amount?
    /// BT-132 Referenced purchase order line reference.
    public var orderLineReference: Text?
    /// BT-133 Invoice line buyer accounting reference.
    public var accountingReference: Text?
    /// BG-26 Invoice line period.
    public var period: Period?
    /// BG-27 line allowances and BG-28 line charges.
    public var allowancesAndCharges: [AllowanceCharge] = []
    /// BT-146 Item net price.
    public var netPrice: Amount?
    /// BT-147 Item price discount.
    public var priceDiscount: Amount?
    /// BT-148 Item gross price.
    public var grossPrice: Amount?
    /// BT-149 Item price base quantity, with BT-150 unit as `unit`.
    public var priceBaseQuantity: Amount?
    /// BT-151 Invoiced item VAT category code.
    public var vatCategory: Text?
    /// BT-152 Invoiced item VAT rate.
    public var vatRate: Amount?
    /// Every VAT category written for the item (the first one gives BT-151 and BT-152).
    public var taxCategories: [TaxCategoryEntry] = []
    /// Tax totals written on the line (UBL allows `cac:TaxTotal` there; EN 16931 has no such
    /// term): their amounts, and their breakdowns, kept because the official rules read them.
    public var lineVATTotals: [Amount] = []
    public var lineVATBreakdown: [VATBreakdown] = []
    /// Every allowance or charge written on the price (UBL `cac:Price/cac:AllowanceCharge`;
    /// the first gives BT-147 and BT-148), with whatever VAT category it carries.
    public var priceAllowancesAndCharges: [AllowanceCharge] = []
    /// Preceding invoice references written on the line (UBL line `cac:BillingReference`;
    /// EN 16931 has them at document level only).
    public var precedingInvoices: [PrecedingInvoice] = []
    /// BT-153 Item name.
    public var itemName: Text?
    /// BT-154 Item description.
    public var itemDescription: Text?
    /// BT-155 Item Seller's identifier.
    public var sellerItemIdentifier: Text?
    /// BT-156 Item Buyer's identifier.
    public var buyerItemIdentifier: Text?
    /// BT-157 Item standard identifier, with scheme.
    public var standardItemIdentifier: Text?
    /// BT-158 Item classification identifiers, with scheme.
    public var classifications: [Text] = []
    /// BT-159 Item country of origin.
    public var originCountry: Text?
    /// BG-32 Item attributes (BT-160 name, BT-161 value).
    public var attributes: [ItemAttribute] = []
    public var location: SourceLocation

    public init(location: SourceLocation) {
        self.location = location
    }
}

/// BG-32 Item attribute.
public struct ItemAttribute: Sendable, Hashable {
    /// BT-160 Item attribute name.
    public var name: Text?
    /// BT-161 Item attribute value.
    public var value: Text?
    public var location: SourceLocation
}
