//! RFC 8785 (JCS) canonical JSON: the one byte form of a record, so that Rust, Python, Node and C
//! hash and sign exactly the same bytes.
//!
//! Object members are sorted by their UTF-16 code units, strings escape only what JSON requires,
//! and numbers print as ECMAScript's `Number.prototype.toString` does.

use serde_json::Value;

use crate::error::{Error, ErrorCode, Result};

/// The canonical bytes of `value`. Fails only on numbers JSON cannot carry (NaN, infinities).
pub fn to_canonical(value: &Value) -> Result<String> {
    let mut out = String::with_capacity(512);
    write_value(&mut out, value)?;
    Ok(out)
}

fn write_value(out: &mut String, value: &Value) -> Result<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n)?,
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push('{');
            for (i, (key, item)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_value(out, item)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// Integers a double holds exactly print as integers; anything else goes through the double, as
/// a JavaScript reader would see it.
fn write_number(out: &mut String, n: &serde_json::Number) -> Result<()> {
    const SAFE: u64 = 1 << 53;
    if let Some(u) = n.as_u64().filter(|u| *u <= SAFE) {
        out.push_str(&u.to_string());
    } else if let Some(i) = n.as_i64().filter(|i| i.unsigned_abs() <= SAFE) {
        out.push_str(&i.to_string());
    } else {
        let f = n.as_f64().unwrap_or(f64::NAN);
        out.push_str(&es_number(f)?);
    }
    Ok(())
}

/// ECMAScript's Number-to-String (ECMA-262, 7.1.12.1) over the shortest round-trip digits.
pub fn es_number(value: f64) -> Result<String> {
    if !value.is_finite() {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "NaN and infinite numbers have no JSON form",
        ));
    }
    if value == 0.0 {
        return Ok("0".into());
    }
    let sign = if value < 0.0 { "-" } else { "" };
    // `{:e}` gives the shortest digits that round-trip: "d.ddde-x".
    let sci = format!("{:e}", value.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let n = exponent.parse::<i32>().unwrap_or(0) + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let e_sign = if e < 0 { '-' } else { '+' };
        let (first, rest) = digits.split_at(1);
        if rest.is_empty() {
            format!("{first}e{e_sign}{}", e.abs())
        } else {
            format!("{first}.{rest}e{e_sign}{}", e.abs())
        }
    };
    Ok(format!("{sign}{body}"))
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            b'\t' => "\\t",
            b'\n' => "\\n",
            0x0c => "\\f",
            b'\r' => "\\r",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn members_sort_by_utf16_code_units() {
        // RFC 8785 section 3.2.3: the emoji (a surrogate pair) sorts before U+FB33.
        let value: Value = serde_json::from_str(
            r#"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#,
        )
        .unwrap();
        let text = to_canonical(&value).unwrap();
        let keys: Vec<String> = text
            .split("\":\"")
            .filter_map(|part| {
                part.rsplit(",\"")
                    .next()
                    .map(|k| k.trim_start_matches("{\"").to_string())
            })
            .take(7)
            .collect();
        assert_eq!(
            keys,
            [
                "\\r",
                "1",
                "\u{80}",
                "\u{f6}",
                "\u{20ac}",
                "\u{1f600}",
                "\u{fb33}"
            ]
        );
    }

    #[test]
    fn strings_escape_only_what_json_requires() {
        let value = json!({"s": "\u{0}\u{1f}\"\\/\u{7f}\u{2028}é\n"});
        assert_eq!(
            to_canonical(&value).unwrap(),
            "{\"s\":\"\\u0000\\u001f\\\"\\\\/\u{7f}\u{2028}é\\n\"}"
        );
    }

    #[test]
    fn numbers_print_as_ecmascript_does() {
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-1.5, "-1.5"),
            (4.5, "4.5"),
            (0.002, "0.002"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1e30, "1e+30"),
            (123456789.125, "123456789.125"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
        ];
        for (value, want) in cases {
            assert_eq!(es_number(value).unwrap(), want, "{value:e}");
        }
        assert!(es_number(f64::NAN).is_err());
        assert!(es_number(f64::INFINITY).is_err());
    }

    #[test]
    fn whitespace_and_order_of_the_input_do_not_matter() {
        let a: Value =
            serde_json::from_str("{ \"b\" : [1, 2 ,{\"y\":1,\"x\":2}], \"a\": null }").unwrap();
        assert_eq!(
            to_canonical(&a).unwrap(),
            r#"{"a":null,"b":[1,2,{"x":2,"y":1}]}"#
        );
        let big = json!({"n": 9007199254740993u64});
        assert_eq!(to_canonical(&big).unwrap(), r#"{"n":9007199254740992}"#);
    }
}
