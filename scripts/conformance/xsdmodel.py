"""A small reader of the UBL 2.1 and CII D22B schemas, enough to mutate documents and stay valid.

It knows, for an element of a document, which children its type allows and where (content
model flattened to ordered slots), which attributes, and how to build a minimal schema-valid
instance of any element (required children and attributes, values from the simple types,
first enumeration value when the type is a code list). It does not implement XSD in general:
only what these two schema sets use (global and local elements, element refs, sequence /
choice / any, simpleContent extension / restriction, simple type restriction / union / list).
Every mutant is validated with lxml afterwards anyway; this model only makes valid mutants
likely.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
FOREIGN_NS = "urn:liasse:conformance:extension"
UNBOUNDED = 1 << 30


def xs(tag: str) -> str:
    return f"{{{XS}}}{tag}"


@dataclass
class Particle:
    kind: str                 # "element" | "sequence" | "choice" | "any"
    min: int = 1
    max: int = 1
    name: tuple | None = None  # (ns, local) for elements
    decl: object = None        # the xsd:element node carrying the type (global one for refs)
    children: list = field(default_factory=list)


@dataclass
class Slot:
    index: int
    names: list               # alternative element names (ns, local) in this slot
    decls: dict               # name -> decl
    min: int
    max: int
    choice: bool
    wildcard: bool = False


@dataclass
class TypeInfo:
    simple: bool                       # text content (possibly with attributes)
    attrs: dict                        # name -> (type ref, use)
    value_type: object = None          # simple type ref for the text content
    enums: list = field(default_factory=list)  # enumeration facets on the content, if any
    particle: Particle | None = None
    slots: list = field(default_factory=list)


class XsdModel:
    def __init__(self, xsd: str | Path):
        self.elements: dict[tuple, etree._Element] = {}
        self.ctypes: dict[tuple, etree._Element] = {}
        self.stypes: dict[tuple, etree._Element] = {}
        self._loaded: set[str] = set()
        self._types: dict[int, TypeInfo] = {}
        self._keep: list = []              # keep type nodes alive: cache keys are ids
        self._chain: dict[tuple, TypeInfo | None] = {}
        self._enum_cache: dict = {}
        self._load(Path(xsd).resolve())

    # ---- loading --------------------------------------------------------------------------
    def _load(self, path: Path) -> None:
        key = str(path)
        if key in self._loaded:
            return
        self._loaded.add(key)
        root = etree.parse(key).getroot()
        tns = root.get("targetNamespace")
        for child in root:
            if not isinstance(child.tag, str):
                continue
            name = child.get("name")
            if child.tag == xs("element"):
                self.elements[(tns, name)] = child
            elif child.tag == xs("complexType"):
                self.ctypes[(tns, name)] = child
            elif child.tag == xs("simpleType"):
                self.stypes[(tns, name)] = child
            elif child.tag in (xs("import"), xs("include")) and child.get("schemaLocation"):
                self._load((path.parent / child.get("schemaLocation")).resolve())

    @staticmethod
    def qname(node, value: str) -> tuple:
        prefix, _, local = value.rpartition(":")
        return (node.nsmap.get(prefix or None), local)

    @staticmethod
    def tns(node) -> str | None:
        return node.getroottree().getroot().get("targetNamespace")

    def type_ref(self, node):
        """A type reference: ("builtin", local) or the complexType / simpleType node."""
        if node.get("type"):
            ns, local = self.qname(node, node.get("type"))
            if ns == XS:
                return ("builtin", local)
            if (ns, local) in self.ctypes:
                return self.ctypes[(ns, local)]
            if (ns, local) in self.stypes:
                return self.stypes[(ns, local)]
            raise KeyError(f"unknown type {ns}:{local}")
        for tag in ("complexType", "simpleType"):
            inline = node.find(xs(tag))
            if inline is not None:
                return inline
        return ("builtin", "anyType")

    def base_ref(self, node):
        ns, local = self.qname(node, node.get("base"))
        if ns == XS:
            return ("builtin", local)
        if (ns, local) in self.ctypes:
            return self.ctypes[(ns, local)]
        return self.stypes[(ns, local)]

    # ---- types ----------------------------------------------------------------------------
    def info(self, tref) -> TypeInfo:
        if isinstance(tref, tuple):
            return TypeInfo(simple=True, attrs={}, value_type=tref)
        key = id(tref)
        if key not in self._types:
            self._keep.append(tref)
            self._types[key] = self._build(tref)
        return self._types[key]

    def _attrs(self, node, attrs: dict) -> None:
        for a in node.findall(xs("attribute")):
            name = a.get("name") or self.qname(a, a.get("ref"))[1]
            if a.get("use") == "prohibited":
                attrs.pop(name, None)
                continue
            tref = self.type_ref(a) if (a.get("type") or a.find(xs("simpleType")) is not None) \
                else ("builtin", "string")
            attrs[name] = (tref, a.get("use", "optional"))

    def _build(self, node) -> TypeInfo:
        if node.tag == xs("simpleType"):
            return TypeInfo(simple=True, attrs={}, value_type=node)
        sc = node.find(xs("simpleContent"))
        if sc is not None:
            der = next(c for c in sc if isinstance(c.tag, str) and
                       c.tag in (xs("extension"), xs("restriction")))
            base = self.base_ref(der)
            binfo = self.info(base)
            attrs = dict(binfo.attrs)
            self._attrs(der, attrs)
            enums = [e.get("value") for e in der.findall(xs("enumeration"))] or binfo.enums
            return TypeInfo(simple=True, attrs=attrs, value_type=binfo.value_type, enums=enums)
        cc = node.find(xs("complexContent"))
        attrs: dict = {}
        if cc is not None:
            der = next(c for c in cc if isinstance(c.tag, str))
            binfo = self.info(self.base_ref(der))
            attrs.update(binfo.attrs)
            own = self._particle_of(der)
            parts = []
            if der.tag == xs("extension") and binfo.particle is not None:
                parts.append(binfo.particle)
            if own is not None:
                parts.append(own)
            particle = Particle("sequence", children=parts) if parts else None
            self._attrs(der, attrs)
        else:
            particle = self._particle_of(node)
            self._attrs(node, attrs)
        if particle is None:
            if node.get("mixed") == "true":
                return TypeInfo(simple=True, attrs=attrs, value_type=("builtin", "string"))
            return TypeInfo(simple=False, attrs=attrs, particle=None, slots=[])
        info = TypeInfo(simple=False, attrs=attrs, particle=particle)
        info.slots = self._slots(particle)
        return info

    @staticmethod
    def _occurs(node) -> tuple[int, int]:
        mx = node.get("maxOccurs", "1")
        return int(node.get("minOccurs", "1")), (UNBOUNDED if mx == "unbounded" else int(mx))

    def _particle_of(self, node) -> Particle | None:
        for c in node:
            if isinstance(c.tag, str) and c.tag in (xs("sequence"), xs("choice"), xs("all")):
                return self._particle(c)
        return None

    def _particle(self, node) -> Particle:
        mn, mx = self._occurs(node)
        if node.tag == xs("element"):
            if node.get("ref"):
                name = self.qname(node, node.get("ref"))
                return Particle("element", mn, mx, name, self.elements[name])
            return Particle("element", mn, mx, (self.tns(node), node.get("name")), node)
        if node.tag == xs("any"):
            return Particle("any", mn, mx)
        kind = "choice" if node.tag == xs("choice") else "sequence"
        kids = [self._particle(c) for c in node
                if isinstance(c.tag, str) and c.tag in
                (xs("element"), xs("sequence"), xs("choice"), xs("any"))]
        return Particle(kind, mn, mx, children=kids)

    def _slots(self, particle: Particle) -> list[Slot]:
        slots: list[Slot] = []

        def names_in(p: Particle):
            if p.kind == "element":
                yield p
            for c in p.children:
                yield from names_in(c)

        def walk(p: Particle, min_factor: int):
            if p.kind == "sequence" and p.max == 1:
                for c in p.children:
                    walk(c, min_factor * p.min)
            elif p.kind == "element":
                slots.append(Slot(len(slots), [p.name], {p.name: p.decl}, p.min * min_factor,
                                  p.max, False))
            elif p.kind == "any":
                slots.append(Slot(len(slots), [], {}, p.min * min_factor, p.max, False, True))
            else:  # choice, or a repeated sequence: one slot holding every name inside
                els = list(names_in(p))
                mn = p.min * min_factor
                if p.kind == "choice" and any(c.min == 0 for c in p.children):
                    mn = 0
                mx = UNBOUNDED if p.max > 1 or any(e.max > 1 for e in els) else 1
                slots.append(Slot(len(slots), [e.name for e in els],
                                  {e.name: e.decl for e in els}, mn, mx, p.kind == "choice"))

        walk(particle, 1)
        return slots

    # ---- document elements ----------------------------------------------------------------
    @staticmethod
    def _name(tag: str) -> tuple:
        ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        return (ns or None, local)

    def decl_for(self, elem) -> object | None:
        """The declaration governing a document element, from its chain of ancestors' tags."""
        chain = []
        e = elem
        while e is not None:
            chain.append(e.tag)
            e = e.getparent()
        chain = tuple(reversed(chain))
        return self._decl_chain(chain)

    def _decl_chain(self, chain: tuple):
        if chain in self._chain:
            return self._chain[chain]
        if len(chain) == 1:
            decl = self.elements.get(self._name(chain[0]))
        else:
            pdecl = self._decl_chain(chain[:-1])
            decl = None
            if pdecl is not None:
                pinfo = self.info(self.type_ref(pdecl))
                name = self._name(chain[-1])
                for s in pinfo.slots:
                    if name in s.decls:
                        decl = s.decls[name]
                        break
        self._chain[chain] = decl
        return decl

    def type_of(self, elem) -> TypeInfo | None:
        decl = self.decl_for(elem)
        return self.info(self.type_ref(decl)) if decl is not None else None

    def _slot_index(self, info: TypeInfo, child) -> int | None:
        name = self._name(child.tag)
        for s in info.slots:
            if name in s.decls:
                return s.index
        for s in info.slots:
            if s.wildcard:
                return s.index
        return None

    def slot_counts(self, elem, info: TypeInfo) -> dict[int, int]:
        counts: dict[int, int] = {}
        for c in elem:
            if isinstance(c.tag, str):
                i = self._slot_index(info, c)
                if i is not None:
                    counts[i] = counts.get(i, 0) + 1
        return counts

    def insertable(self, elem, replace_choice: bool = False) -> list[tuple]:
        """(slot, name) pairs that may be added under elem without breaking its content model."""
        info = self.type_of(elem)
        if info is None or info.simple:
            return []
        counts = self.slot_counts(elem, info)
        present = {self._name(c.tag) for c in elem if isinstance(c.tag, str)}
        out = []
        for s in info.slots:
            if s.wildcard:
                continue
            n = counts.get(s.index, 0)
            for name in s.names:
                if n < s.max:
                    if s.choice and n and name not in present and s.max == 1 and not replace_choice:
                        continue
                    out.append((s, name))
                elif replace_choice and s.choice and name not in present:
                    out.append((s, name))
        return out

    def removable(self, child) -> bool:
        parent = child.getparent()
        if parent is None:
            return False
        info = self.type_of(parent)
        if info is None:
            return False
        i = self._slot_index(info, child)
        if i is None:
            return True
        return self.slot_counts(parent, info).get(i, 0) > info.slots[i].min

    def can_duplicate(self, child) -> bool:
        parent = child.getparent()
        if parent is None:
            return False
        info = self.type_of(parent)
        if info is None:
            return False
        i = self._slot_index(info, child)
        return i is not None and self.slot_counts(parent, info).get(i, 0) < info.slots[i].max

    def insert_child(self, elem, name: tuple, rng=None, replace_choice: bool = False,
                     optional_p: float = 0.0):
        """Builds a minimal instance of child `name` and inserts it at its place; returns it."""
        info = self.type_of(elem)
        slot = next(s for s in info.slots if name in s.decls)
        if replace_choice and slot.choice:
            for c in list(elem):
                if isinstance(c.tag, str) and self._slot_index(info, c) == slot.index \
                        and self._name(c.tag) != name:
                    elem.remove(c)
        new = self.instance(name, slot.decls[name], rng=rng, optional_p=optional_p)
        pos = 0
        for k, c in enumerate(elem):
            if not isinstance(c.tag, str):
                continue
            i = self._slot_index(info, c)
            if i is not None and i <= slot.index:
                pos = k + 1
        new.tail = None
        elem.insert(pos, new)
        return new

    # ---- building instances ---------------------------------------------------------------
    def instance(self, name: tuple, decl, rng=None, depth: int = 0, optional_p: float = 0.0):
        tag = f"{{{name[0]}}}{name[1]}" if name[0] else name[1]
        elem = etree.Element(tag)
        info = self.info(self.type_ref(decl))
        for aname, (tref, use) in info.attrs.items():
            if use == "required":
                elem.set(aname, self.value(tref, rng, aname))
        if info.simple:
            elem.text = self.value(info.value_type, rng, name[1], info.enums)
            return elem
        if depth > 14:
            return elem
        for s in info.slots:
            want = s.min
            if want == 0 and optional_p and rng is not None and not s.wildcard \
                    and rng.random() < optional_p and depth < 3:
                want = 1
            for _ in range(want):
                if s.wildcard:
                    etree.SubElement(elem, f"{{{FOREIGN_NS}}}Extension").text = "x"
                    continue
                pick = s.names[0] if rng is None or not s.choice else rng.choice(s.names)
                elem.append(self.instance(pick, s.decls[pick], rng, depth + 1,
                                          optional_p / 2 if optional_p else 0.0))
        return elem

    def enumerations(self, tref) -> list[str]:
        """All enumeration values a simple type (or a type's text content) allows."""
        if isinstance(tref, tuple):
            return []
        key = id(tref)
        if key in self._enum_cache:
            return self._enum_cache[key]
        out: list[str] = []
        if tref.tag == xs("complexType"):
            info = self.info(tref)
            out = list(info.enums) or self.enumerations(info.value_type)
        else:
            r = tref.find(xs("restriction"))
            if r is not None:
                out = [e.get("value") for e in r.findall(xs("enumeration"))]
                if not out and r.get("base"):
                    out = self.enumerations(self.base_ref(r))
            u = tref.find(xs("union"))
            if u is not None:
                for m in (u.get("memberTypes") or "").split():
                    ns, local = self.qname(u, m)
                    if ns != XS and (ns, local) in self.stypes:
                        out += self.enumerations(self.stypes[(ns, local)])
                for inline in u.findall(xs("simpleType")):
                    out += self.enumerations(inline)
        self._keep.append(tref)
        self._enum_cache[key] = out
        return out

    def value(self, tref, rng=None, hint: str = "", enums=None) -> str:
        if enums:
            return enums[0] if rng is None else rng.choice(enums)
        if not isinstance(tref, tuple):
            ev = self.enumerations(tref)
            if ev:
                return ev[0] if rng is None else rng.choice(ev)
            r = tref.find(xs("restriction"))
            if r is not None:
                base = self.base_ref(r) if r.get("base") else r.find(xs("simpleType"))
                v = self.value(base, rng, hint)
                mx = r.find(xs("maxLength"))
                return v[: int(mx.get("value"))] if mx is not None else v
            u = tref.find(xs("union"))
            if u is not None:
                if u.get("memberTypes"):
                    ns, local = self.qname(u, u.get("memberTypes").split()[0])
                    return self.value(("builtin", local) if ns == XS else self.stypes[(ns, local)],
                                      rng, hint)
                return self.value(u.find(xs("simpleType")), rng, hint)
            lst = tref.find(xs("list"))
            if lst is not None:
                return "x"
            return "x"
        b = tref[1]
        if b in ("decimal", "double", "float"):
            return "1.00" if "Amount" in hint else "1"
        if b in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long", "short"):
            return "1"
        if b == "date":
            return "2024-01-15"
        if b == "dateTime":
            return "2024-01-15T10:00:00"
        if b == "time":
            return "10:00:00"
        if b == "boolean":
            return "true"
        if b == "base64Binary":
            return "VEVTVA=="
        if b == "hexBinary":
            return "00"
        if b == "anyURI":
            return "urn:liasse:test"
        if b == "language":
            return "en"
        if b == "duration":
            return "P1D"
        if b in ("gYear",):
            return "2024"
        if b == "gMonth":
            return "--01"
        if b == "gDay":
            return "---01"
        if b == "gYearMonth":
            return "2024-01"
        if b == "gMonthDay":
            return "--01-15"
        if "Currency" in hint or hint in ("currencyID",):
            return "EUR"
        return "TEST"

    # ---- reaching an element from a document ---------------------------------------------
    @staticmethod
    def tkey(tref):
        return tref if isinstance(tref, tuple) else id(tref)

    def _build_reach(self):
        self._edges: dict = {}
        self._tags_of_type: dict = {}
        self._attrs_of_type: dict = {}
        seen = set()
        stack = [self.type_ref(d) for d in self.elements.values()]
        while stack:
            tref = stack.pop()
            key = self.tkey(tref)
            if key in seen:
                continue
            seen.add(key)
            info = self.info(tref)
            self._attrs_of_type[key] = set(info.attrs)
            if info.simple:
                continue
            for slot in info.slots:
                for name in slot.names:
                    ct = self.type_ref(slot.decls[name])
                    if not isinstance(ct, tuple):
                        self.info(ct)  # keeps the node alive: keys are ids
                    ck = self.tkey(ct)
                    clark = f"{{{name[0]}}}{name[1]}"
                    self._edges.setdefault(ck, []).append((key, clark))
                    self._tags_of_type.setdefault(ck, set()).add(clark)
                    stack.append(ct)

    def tags_with_attribute(self, name: str) -> list[str]:
        """Element tags whose type declares attribute `name` (sorted)."""
        if not hasattr(self, "_edges"):
            self._build_reach()
        return sorted({t for k, attrs in self._attrs_of_type.items() if name in attrs
                       for t in self._tags_of_type.get(k, ())})

    def doc_type_key(self, elem):
        decl = self.decl_for(elem)
        return None if decl is None else self.tkey(self.type_ref(decl))

    def chains_to(self, target: str, doc_types: dict, max_depth: int = 4) -> list:
        """(document element, [tags to create below it, ending with target]) pairs, shortest first."""
        if not hasattr(self, "_edges"):
            self._build_reach()
        states = [(k, [target]) for k, tags in self._tags_of_type.items() if target in tags]
        for _ in range(max_depth):
            results, nxt, seen = [], [], set()
            for tk, path in states:
                for pk, cname in self._edges.get(tk, ()):
                    if cname != path[0]:
                        continue
                    for e in doc_types.get(pk, ()):
                        results.append((e, path))
                    for ptag in sorted(self._tags_of_type.get(pk, ())):  # sorted: reproducible
                        if (pk, ptag) not in seen and ptag not in path:
                            seen.add((pk, ptag))
                            nxt.append((pk, [ptag] + path))
            if results:
                return results
            states = nxt[:3000]
        return []

    def attr_decls(self, elem) -> dict:
        info = self.type_of(elem)
        return info.attrs if info is not None else {}


def deep_copy(elem):
    return copy.deepcopy(elem)
