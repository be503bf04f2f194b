import LiasseXML

/// One step of a path through a document: a namespace and a local name.
struct Step: Sendable {
    let namespace: StaticString
    let name: StaticString
}

func cbc(_ name: StaticString) -> Step { Step(namespace: NamespaceURI.cbc, name: name) }
func cac(_ name: StaticString) -> Step { Step(namespace: NamespaceURI.cac, name: name) }
func ram(_ name: StaticString) -> Step { Step(namespace: NamespaceURI.ram, name: name) }
func rsm(_ name: StaticString) -> Step { Step(namespace: NamespaceURI.rsm, name: name) }
func udt(_ name: StaticString) -> Step { Step(namespace: NamespaceURI.udt, name: name) }
func qdt(_ name: StaticString) -> Step { Step(namespace: NamespaceURI.qdt, name: name) }

extension XMLElement {
    /// The first element reached by following `steps`, first match at each step.
    func first(_ steps: Step...) -> XMLElement? {
        first(steps[...])
    }

    func first(_ steps: ArraySlice<Step>) -> XMLElement? {
        guard let step = steps.first else { return self }
        // Depth-first over every match of the first step: the first full match wins, as in XPath.
        var candidate = firstChild(step.name, in: step.namespace)
        while let child = candidate {
            if steps.count == 1 { return child }
            if let found = child.first(steps.dropFirst()) { return found }
            candidate = child.nextSibling(step.name, in: step.namespace)
        }
        return nil
    }

    /// Every descendant element named as `step`, in document order.
    func descendants(_ step: Step) -> [XMLElement] {
        descendants(named: step.name.description, in: step.namespace.description)
    }

    /// Every element reached by following `steps`, in document order.
    func all(_ steps: Step...) -> [XMLElement] {
        var result: [XMLElement] = []
        collect(steps[...], into: &result)
        return result
    }

    private func collect(_ steps: ArraySlice<Step>, into result: inout [XMLElement]) {
        guard let step = steps.first else { result.append(self); return }
        var candidate = firstChild(step.name, in: step.namespace)
        while let child = candidate {
            child.collect(steps.dropFirst(), into: &result)
            candidate = child.nextSibling(step.name, in: step.namespace)
        }
    }

    /// Where this element is, for the model.
    var location: SourceLocation {
        SourceLocation(element: number, of: document.locator, line: line)
    }

    /// The element as a `Text`, with its `schemeID` (or `listID`) when it has one.
    var asText: Text {
        Text(raw: text, scheme: attribute("schemeID") ?? attribute("listID"), location: location)
    }

    /// The element as an `Amount`, with its `currencyID` or `unitCode`.
    var asAmount: Amount {
        Amount(text: Text(raw: text, location: location), unit: attribute("currencyID") ?? attribute("unitCode"))
    }

    func text(_ steps: Step...) -> Text? {
        first(steps[...])?.asText
    }

    func amount(_ steps: Step...) -> Amount? {
        first(steps[...])?.asAmount
    }

    /// A UBL date (`YYYY-MM-DD`).
    func isoDate(_ steps: Step...) -> DateValue? {
        guard let element = first(steps[...]) else { return nil }
        let text = element.asText
        return DateValue(text: text, date: CalendarDate(iso: text.value))
    }

    /// A CII date: an element holding `udt:DateTimeString` (or `qdt:DateTimeString`) with a
    /// `format` attribute; format 102 is `YYYYMMDD`.
    func ciiDate(_ steps: Step...) -> DateValue? {
        guard let holder = first(steps[...]) else { return nil }
        guard let string = holder.first(udt("DateTimeString")) ?? holder.first(qdt("DateTimeString")) else {
            // The other form of a CII date: kept as written, so the rules see the date is there
            // but not in the form they read.
            guard let dateTime = holder.first(udt("DateTime")) else { return nil }
            return DateValue(text: dateTime.asText, date: nil, writtenAsDateTime: true)
        }
        let text = string.asText
        let format = string.attribute("format")
        let date = format == "102" ? CalendarDate(compact: text.value) : nil
        return DateValue(text: Text(raw: text.raw, location: text.location), format: format, date: date)
    }
}
