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

/// BG-20 document level allowance or BG-21 document level charge.
public struct AllowanceCharge: Sendable, Hashable {
    /// True for a charge (BG-21), false for an allowance (BG-20).
    public var isCharge: Bool
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
    public var location: SourceLocation

    public init(isCharge: Bool, location: SourceLocation) {
        self.isCharge = isCharge
        self.location = location
    }
}

/// BG-22 Document totals.
public struct DocumentTotals: Sendable, Hashable {
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
    public var location: SourceLocation

    public init(location: SourceLocation) {
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
