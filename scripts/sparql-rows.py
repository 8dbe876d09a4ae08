#!/usr/bin/env python3
"""Prints SPARQL JSON results (W3C format, any endpoint) as sorted, normalised tab-separated rows so
the answers of two stores can be compared with diff.

Normalised, because these legitimately differ between stores: blank-node labels, "typed-literal"
(older Virtuoso) vs "literal", an explicit xsd:string datatype, the lexical form of numbers
("1.0E1" vs "10", "5.50" vs "5.5"), the case of language tags, and the column order.
Usage: sparql-rows.py RESULTS.json"""
import json
import sys
from decimal import Decimal, InvalidOperation

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short",
                              "nonNegativeInteger", "positiveInteger", "unsignedInt")}


def number(value):
    try:
        parsed = Decimal(value)
    except InvalidOperation:
        return None
    if parsed == parsed.to_integral_value():
        return str(int(parsed))
    return format(parsed.normalize(), "f")


def term(binding):
    if binding is None:
        return ""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return "<" + value + ">"
    if kind == "bnode":
        return "_:b"
    datatype = binding.get("datatype")
    language = binding.get("xml:lang")
    quoted = json.dumps(value, ensure_ascii=False)
    if language:
        return quoted + "@" + language.lower()
    if datatype in NUMERIC and number(value) is not None:
        return number(value)
    if datatype and datatype != XSD + "string":
        return quoted + "^^<" + datatype + ">"
    return quoted


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        results = json.load(handle)
    if "boolean" in results:
        print(str(results["boolean"]).lower())
        return
    variables = sorted(results["head"]["vars"])
    print("\t".join(variables))
    rows = ["\t".join(term(row.get(v)) for v in variables) for row in results["results"]["bindings"]]
    for row in sorted(rows):
        print(row)


if __name__ == "__main__":
    main()
