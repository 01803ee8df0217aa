//! A seeded, reproducible, labelled corpus of LLM prompts with planted personal data and secrets,
//! plus benign documents full of look-alikes.
//!
//! Every document is generated from its own ChaCha8 stream (the seed, stream = document index), so
//! document `i` is the same whatever the corpus size. Labels carry exact byte spans and the
//! category a detector should report (the SCREAMING_SNAKE names of the catalogue).

use rand::{Rng, SeedableRng};
use serde::Serialize;

use crate::benign;
use crate::lang::{self, Lang};
use crate::locales::{Locale, Person, LOCALES};
use crate::values::{self as v, pick, Rng8};

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Label {
    pub start: usize,
    pub end: usize,
    pub category: &'static str,
    /// `pii` or `secret`.
    pub kind: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct Doc {
    pub id: String,
    pub locale: &'static str,
    pub scenario: &'static str,
    pub benign: bool,
    pub text: String,
    pub labels: Vec<Label>,
}

pub struct Corpus {
    pub prompts: Vec<Doc>,
    pub benign: Vec<Doc>,
}

impl Corpus {
    pub fn all(&self) -> impl Iterator<Item = &Doc> {
        self.prompts.iter().chain(&self.benign)
    }
}

/// Streams of the two document families never collide.
const BENIGN_STREAM: u64 = 1 << 40;
const HOLDOUT_STREAM: u64 = 1 << 41;

pub fn rng_for(seed: u64, stream: u64) -> Rng8 {
    let mut r = Rng8::seed_from_u64(seed);
    r.set_stream(stream);
    r
}

/// `prompts` labelled prompts and `benign` benign documents.
pub fn generate(seed: u64, prompts: usize, benign: usize) -> Corpus {
    Corpus {
        prompts: (0..prompts).map(|i| prompt(seed, i)).collect(),
        benign: (0..benign).map(|i| benign_doc(seed, i)).collect(),
    }
}

/// The held-out corpus: same generators and benign text, prompts in the held-out style.
pub fn generate_holdout(seed: u64, prompts: usize, benign: usize) -> Corpus {
    Corpus {
        prompts: (0..prompts).map(|i| styled_prompt(seed, i, true)).collect(),
        benign: (0..benign).map(|i| benign_doc(seed, i)).collect(),
    }
}

/// The default proportion: one benign document for every two prompts.
pub fn generate_default(seed: u64, prompts: usize) -> Corpus {
    generate(seed, prompts, prompts.div_ceil(2))
}

pub fn benign_doc(seed: u64, i: usize) -> Doc {
    let mut r = rng_for(seed, BENIGN_STREAM + i as u64);
    let (text, kind) = benign::document(&mut r);
    Doc {
        id: format!("b{i}"),
        locale: "none",
        scenario: kind,
        benign: true,
        text,
        labels: Vec::new(),
    }
}

/// Texts of at least `size` bytes (prompts and benign text mixed), for throughput benchmarks.
pub fn texts_of_size(seed: u64, count: usize, size: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(count);
    let mut i = 0usize;
    for _ in 0..count {
        let mut s = String::new();
        while s.len() < size {
            let d = if i % 3 == 2 {
                benign_doc(seed, i)
            } else {
                prompt(seed, i)
            };
            s.push_str(&d.text);
            s.push_str("\n\n");
            i += 1;
        }
        let mut cut = size;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        out.push(s);
    }
    out
}

/// Builds text and records the span of each planted value.
struct B {
    text: String,
    labels: Vec<Label>,
}

impl B {
    fn t(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }
    fn e(&mut self, category: &'static str, value: &str) -> &mut Self {
        let kind = if SECRET_CATEGORIES.contains(&category) {
            "secret"
        } else {
            "pii"
        };
        let start = self.text.len();
        self.text.push_str(value);
        self.labels.push(Label {
            start,
            end: self.text.len(),
            category,
            kind,
        });
        self
    }
    fn nl(&mut self) -> &mut Self {
        self.text.push('\n');
        self
    }
}

/// Categories whose labels count as secrets.
pub const SECRET_CATEGORIES: &[&str] = &[
    "API_KEY",
    "ACCESS_TOKEN",
    "CLOUD_CREDENTIAL",
    "WEBHOOK_URL",
    "OAUTH_CLIENT_SECRET",
    "GENERIC_SECRET",
    "JWT",
    "PRIVATE_KEY",
    "CONNECTION_STRING",
    "PASSWORD",
];

/// What a prompt is about; each scenario plants a typical mix of values.
const SCENARIOS: &[&str] = &[
    "support", "hr", "code", "record", "medical", "finance", "travel", "chat",
];

struct Ctx<'a> {
    loc: &'static Locale,
    /// Held-out style: other English phrasing and other layouts than the development corpus.
    holdout: bool,
    lang: &'static Lang,
    native: bool,
    person: Person,
    r: &'a mut Rng8,
}

impl Ctx<'_> {
    fn chance(&mut self, p: f64) -> bool {
        self.r.gen_bool(p)
    }
    fn one(&mut self, items: &[&'static str]) -> &'static str {
        pick(self.r, items)
    }
    /// The main person's name as written in this prompt's script.
    fn name_of(&mut self) -> String {
        if self.native && !self.loc.native_names.is_empty() {
            self.one(self.loc.native_names).to_string()
        } else {
            self.person.full.clone()
        }
    }
    fn other_person(&mut self) -> String {
        if self.native && !self.loc.native_names.is_empty() {
            self.one(self.loc.native_names).to_string()
        } else {
            self.loc.person(self.r).full
        }
    }
    fn email(&mut self) -> String {
        let (f, l) = (
            self.person.ascii_first.clone(),
            self.person.ascii_last.clone(),
        );
        let domain = self.one(self.loc.email_domains);
        let n = self.r.gen_range(1..99);
        match self.r.gen_range(0..5) {
            0 => format!("{f}.{l}@{domain}"),
            1 => format!("{}{l}@{domain}", &f[..1]),
            2 => format!("{f}{l}{n}@{domain}"),
            3 => format!("{l}.{f}@{domain}"),
            _ => format!("{f}_{n}@{domain}"),
        }
    }
    fn phone(&mut self) -> String {
        (self.loc.phone)(self.r)
    }
    fn address(&mut self) -> String {
        let street = self.one(self.loc.streets);
        let city = self.one(self.loc.cities);
        (self.loc.address)(self.r, street, city)
    }
    fn dob(&mut self) -> String {
        let (y, m, d) = v::birth_date(self.r);
        (self.loc.date)(y, m, d, self.r)
    }
}

pub fn prompt(seed: u64, i: usize) -> Doc {
    styled_prompt(seed, i, false)
}

/// A prompt in the development style or in the held-out style (`holdout`): other English
/// sentences and lead-ins, other chat, list, record and signature layouts, names mid-sentence.
/// Detectors tuned on development output can be checked against it for overfitting.
pub fn styled_prompt(seed: u64, i: usize, holdout: bool) -> Doc {
    let mut r = rng_for(seed, i as u64 + if holdout { HOLDOUT_STREAM } else { 0 });
    let loc = &LOCALES[r.gen_range(0..LOCALES.len())];
    let native = r.gen_bool(loc.native_share);
    let lang = match (native, holdout) {
        (true, _) if loc.lang != "en" => lang::by_code(loc.lang),
        (_, true) => &lang::EN_ALT,
        _ => &lang::EN,
    };
    let scenario = SCENARIOS[r.gen_range(0..SCENARIOS.len())];
    let person = loc.person(&mut r);
    let mut c = Ctx {
        loc,
        holdout,
        lang,
        native,
        person,
        r: &mut r,
    };
    let mut b = B {
        text: String::new(),
        labels: Vec::new(),
    };
    match scenario {
        "support" => support(&mut c, &mut b),
        "hr" => hr(&mut c, &mut b),
        "code" => code(&mut c, &mut b),
        "record" => record(&mut c, &mut b),
        "medical" => medical(&mut c, &mut b),
        "finance" => finance(&mut c, &mut b),
        "travel" => travel(&mut c, &mut b),
        _ => chat(&mut c, &mut b),
    }
    Doc {
        id: format!("p{i}"),
        locale: loc.code,
        scenario,
        benign: false,
        text: b.text,
        labels: b.labels,
    }
}

fn sentence_gap(c: &mut Ctx, b: &mut B) {
    if matches!(c.lang.code, "zh" | "ja") {
        return;
    }
    b.t(" ");
}

/// Writes the value with a lead-in (or none) and a sentence end.
fn field(
    c: &mut Ctx,
    b: &mut B,
    leads: &[&'static str],
    category: &'static str,
    value: &str,
    context: bool,
) {
    if context {
        let lead = c.one(leads);
        b.t(lead);
    }
    b.e(category, value);
    end_sentence(c, b);
}

fn end_sentence(c: &mut Ctx, b: &mut B) {
    b.t(match c.lang.code {
        "zh" | "ja" => "。",
        "th" => " ",
        _ => ".",
    });
    sentence_gap(c, b);
}

fn plant_name(c: &mut Ctx, b: &mut B) {
    let n = c.name_of();
    field(c, b, c.lang.name_is, "PERSON", &n, true);
}

fn plant_phone(c: &mut Ctx, b: &mut B) {
    let p = c.phone();
    let ctx = c.chance(0.85);
    field(c, b, c.lang.phone_is, "PHONE_NUMBER", &p, ctx);
}

fn plant_email(c: &mut Ctx, b: &mut B) {
    let e = c.email();
    let ctx = c.chance(0.6);
    field(c, b, c.lang.email_is, "EMAIL_ADDRESS", &e, ctx);
}

fn plant_address(c: &mut Ctx, b: &mut B) {
    let a = c.address();
    field(c, b, c.lang.address_is, "STREET_ADDRESS", &a, true);
}

fn plant_dob(c: &mut Ctx, b: &mut B) {
    let d = c.dob();
    field(c, b, c.lang.dob_is, "DATE_OF_BIRTH", &d, true);
}

fn plant_iban(c: &mut Ctx, b: &mut B) {
    let i = v::iban(c.r, c.loc.iban);
    let ctx = c.chance(0.7);
    field(c, b, c.lang.iban_is, "IBAN_CODE", &i, ctx);
}

fn plant_card(c: &mut Ctx, b: &mut B) {
    let n = v::card(c.r);
    let ctx = c.chance(0.7);
    if ctx {
        let lead = c.one(c.lang.card_is);
        b.t(lead);
    }
    b.e("CREDIT_CARD", &n);
    if c.chance(0.4) {
        let exp = format!(" exp {:02}/{}", c.r.gen_range(1..13), c.r.gen_range(26..32));
        b.t(&exp);
    }
    end_sentence(c, b);
}

fn plant_national_id(c: &mut Ctx, b: &mut B) {
    let ids = c.loc.ids;
    let id = &ids[c.r.gen_range(0..ids.len())];
    let value = (id.gen)(c.r, &c.person);
    let ctx = !id.distinctive || c.chance(0.7);
    if ctx {
        let lead = c.one(id.lead);
        b.t(lead);
    }
    b.e(id.category, &value);
    end_sentence(c, b);
}

fn plant_ip(c: &mut Ctx, b: &mut B) {
    let ip = if c.chance(0.8) {
        v::ipv4(c.r)
    } else {
        v::ipv6(c.r)
    };
    let lead = c.one(&[
        "my IP address is ",
        "logged in from ",
        "the server at ",
        "IP: ",
        "client ip ",
    ]);
    if c.chance(0.8) {
        b.t(lead);
    }
    b.e("IP_ADDRESS", &ip).t(". ");
}

fn plant_mac(c: &mut Ctx, b: &mut B) {
    let m = v::mac(c.r);
    let lead = c.one(&["MAC address ", "the device MAC is ", "hw addr ", "MAC: "]);
    if c.chance(0.8) {
        b.t(lead);
    }
    b.e("MAC_ADDRESS", &m).t(". ");
}

fn plant_url(c: &mut Ctx, b: &mut B) {
    let (f, l) = (c.person.ascii_first.clone(), c.person.ascii_last.clone());
    let n = c.r.gen_range(100..9999);
    let url = match c.r.gen_range(0..4) {
        0 => format!("https://www.linkedin.com/in/{f}-{l}-{n}"),
        1 => format!("https://github.com/{f}{l}"),
        2 => format!("https://portal.acme-corp.com/customers/{n}/profile?ref=support"),
        _ => format!("https://{f}{l}.dev/cv.pdf"),
    };
    let lead = c.one(&["profile: ", "see ", "my page is ", "link: "]);
    b.t(lead).e("URL", &url).t(". ");
}

fn plant_crypto(c: &mut Ctx, b: &mut B) {
    let (addr, lead, category) = if c.chance(0.6) {
        let a = v::btc_address(c.r);
        let lead = c.one(&[
            "my BTC wallet is ",
            "send the bitcoin to ",
            "BTC address: ",
            "",
        ]);
        (a, lead, "BITCOIN_ADDRESS")
    } else {
        let a = v::eth_address(c.r);
        let lead = c.one(&[
            "my ETH address is ",
            "wallet: ",
            "send USDT (ERC-20) to ",
            "",
        ]);
        (a, lead, "ETHEREUM_ADDRESS")
    };
    b.t(lead).e(category, &addr).t(". ");
}

fn plant_device(c: &mut Ctx, b: &mut B) {
    if c.chance(0.5) {
        let i = v::imei(c.r);
        let lead = c.one(&["IMEI: ", "the phone's IMEI is ", "IMEI number "]);
        b.t(lead).e("IMEI", &i).t(". ");
    } else {
        let vin = v::vin(c.r);
        let lead = c.one(&[
            "VIN: ",
            "the car's VIN is ",
            "vehicle identification number ",
            "",
        ]);
        b.t(lead).e("VIN", &vin).t(". ");
    }
}

/// A prefixed API token in prose ("here is my key ...").
fn plant_token_prose(c: &mut Ctx, b: &mut B) {
    let s = v::api_token(c.r);
    let lead = c.one(&[
        "my API key is ",
        "here's the token: ",
        "I pasted the key ",
        "token=",
        "we use ",
        "",
    ]);
    b.t(lead).e(s.category, &s.value).t(" ");
    let tail = c.one(&[
        "— is it still valid?",
        "but requests fail with 401.",
        "(rotated last week).",
        "for the staging account.",
    ]);
    b.t(tail).t(" ");
}

fn plant_password_prose(c: &mut Ctx, b: &mut B) {
    let p = v::password(c.r);
    let lead = c.one(c.lang.password_is);
    b.t(lead).e("PASSWORD", &p);
    let tail = c.one(&[" ", ". ", " — please change it. "]);
    b.t(tail);
}

fn intro(c: &mut Ctx, b: &mut B, sentences: &'static [&'static str], n: usize) {
    for _ in 0..n {
        let s = c.one(sentences);
        b.t(s);
        sentence_gap(c, b);
    }
}

fn greet(c: &mut Ctx, b: &mut B) {
    let g = c.one(c.lang.greet);
    b.t(g).nl().nl();
}

fn sign_off(c: &mut Ctx, b: &mut B) {
    let a = c.one(c.lang.ask);
    b.nl().t(a).nl().nl();
    if c.holdout && c.chance(0.6) {
        let n = c.name_of();
        match c.r.gen_range(0..3) {
            0 => b.t("— ").e("PERSON", &n).nl(),
            1 => b.t("Sent by ").e("PERSON", &n).t(" from my phone").nl(),
            _ => b.t("Many thanks, ").e("PERSON", &n).nl(),
        };
        return;
    }
    let s = c.one(c.lang.sign);
    b.t(s).nl();
    if c.chance(0.6) {
        let n = c.name_of();
        b.e("PERSON", &n).nl();
    }
}

/// Someone else named in the middle of a sentence (held-out style only).
fn plant_name_mid_sentence(c: &mut Ctx, b: &mut B) {
    let n = c.other_person();
    match c.r.gen_range(0..4) {
        0 => b
            .t("I already spoke with ")
            .e("PERSON", &n)
            .t(" about this yesterday. "),
        1 => b.t("Please cc ").e("PERSON", &n).t(" on the reply. "),
        2 => b
            .t("My colleague ")
            .e("PERSON", &n)
            .t(" said it was fixed. "),
        _ => b
            .t("The account belongs to ")
            .e("PERSON", &n)
            .t(", not to me. "),
    };
}

fn maybe_benign(c: &mut Ctx, b: &mut B, p: f64) {
    if c.chance(p) {
        let s = benign::snippet(c.r);
        b.t(&s);
        sentence_gap(c, b);
    }
}

type Planter = fn(&mut Ctx, &mut B);

/// Plants `n` values chosen from `pool` without repeating a kind.
fn plant_some(c: &mut Ctx, b: &mut B, pool: &[Planter], n: usize) {
    let mut order: Vec<usize> = (0..pool.len()).collect();
    rand::seq::SliceRandom::shuffle(order.as_mut_slice(), c.r);
    for &i in order.iter().take(n) {
        pool[i](c, b);
        maybe_benign(c, b, 0.15);
    }
}

fn support(c: &mut Ctx, b: &mut B) {
    greet(c, b);
    plant_name(c, b);
    if c.holdout && c.chance(0.5) {
        plant_name_mid_sentence(c, b);
    }
    let k = c.r.gen_range(1..3);
    intro(c, b, c.lang.support, k);
    maybe_benign(c, b, 0.5);
    let n = c.r.gen_range(2..5);
    plant_some(
        c,
        b,
        &[
            plant_email,
            plant_phone,
            plant_address,
            plant_card,
            plant_iban,
            plant_national_id,
            plant_ip,
            plant_device,
            plant_url,
        ],
        n,
    );
    sign_off(c, b);
}

fn hr(c: &mut Ctx, b: &mut B) {
    greet(c, b);
    let k = c.r.gen_range(1..3);
    intro(c, b, c.lang.hr, k);
    b.nl();
    plant_name(c, b);
    b.nl();
    plant_dob(c, b);
    b.nl();
    let n = c.r.gen_range(2..5);
    plant_some(
        c,
        b,
        &[
            plant_national_id,
            plant_address,
            plant_phone,
            plant_email,
            plant_iban,
        ],
        n,
    );
    sign_off(c, b);
}

fn medical(c: &mut Ctx, b: &mut B) {
    let k = c.r.gen_range(1..3);
    intro(c, b, c.lang.medical, 1);
    b.nl();
    plant_name(c, b);
    plant_dob(c, b);
    b.nl();
    intro(c, b, c.lang.medical, k);
    let n = c.r.gen_range(1..4);
    plant_some(
        c,
        b,
        &[plant_national_id, plant_phone, plant_address, plant_email],
        n,
    );
    let a = c.one(c.lang.ask);
    b.nl().t(a).nl();
}

fn finance(c: &mut Ctx, b: &mut B) {
    greet(c, b);
    let k = c.r.gen_range(1..3);
    intro(c, b, c.lang.finance, k);
    maybe_benign(c, b, 0.4);
    let n = c.r.gen_range(2..5);
    plant_some(
        c,
        b,
        &[
            plant_iban,
            plant_card,
            plant_crypto,
            plant_national_id,
            plant_name,
            plant_email,
            plant_phone,
        ],
        n,
    );
    sign_off(c, b);
}

fn travel(c: &mut Ctx, b: &mut B) {
    greet(c, b);
    let from = c.one(c.loc.cities);
    let to = loop {
        let t = c.one(c.loc.cities);
        if t != from {
            break t;
        }
    };
    let lead = c.one(c.lang.travel_from);
    b.t(lead)
        .e("LOCATION", from)
        .t(c.lang.travel_to)
        .e("LOCATION", to);
    b.t(match c.lang.code {
        "ja" => "まで。",
        "zh" => "的机票。",
        "ko" => "까지.",
        "th" => " ",
        _ => ".",
    });
    sentence_gap(c, b);
    let k = c.r.gen_range(1..3);
    intro(c, b, c.lang.travel, k);
    b.nl();
    let inline = c.holdout && c.chance(0.5);
    if inline {
        b.t("Passengers: ");
    }
    for k in 0..c.r.gen_range(1..3) {
        let n = c.other_person();
        if inline {
            if k > 0 {
                b.t(" and ");
            }
            b.e("PERSON", &n);
            continue;
        }
        b.t(if c.holdout { "* " } else { "- " }).e("PERSON", &n);
        if c.chance(0.5) {
            let d = c.dob();
            let lead = c.one(c.lang.dob_is);
            b.t(", ").t(lead).e("DATE_OF_BIRTH", &d);
        }
        b.nl();
    }
    if inline {
        b.t(".").nl();
    }
    let n = c.r.gen_range(1..4);
    plant_some(
        c,
        b,
        &[plant_phone, plant_email, plant_card, plant_address],
        n,
    );
    sign_off(c, b);
}

fn chat(c: &mut Ctx, b: &mut B) {
    let me = c.name_of();
    let other = c.other_person();
    let lines = c.r.gen_range(4..9);
    let planted = [
        plant_phone as Planter,
        plant_email,
        plant_address,
        plant_iban,
        plant_password_prose,
        plant_card,
        plant_national_id,
    ];
    let mut hh = c.r.gen_range(7..22);
    let mut mm = c.r.gen_range(0..50);
    for i in 0..lines {
        mm += c.r.gen_range(0..5);
        if mm >= 60 {
            mm -= 60;
            hh += 1;
        }
        let who = if i % 2 == 0 {
            me.clone()
        } else {
            other.clone()
        };
        if !c.holdout {
            b.t(&format!("[{hh:02}:{mm:02}] "))
                .e("PERSON", &who)
                .t(": ");
        } else if i % 3 == 0 {
            b.t("<").e("PERSON", &who).t("> ");
        } else {
            b.e("PERSON", &who).t(&format!(" ({hh}:{mm:02}): "));
        }
        if c.chance(0.45) {
            let p = planted[c.r.gen_range(0..planted.len())];
            p(c, b);
        } else {
            let s = c.one(c.lang.chat);
            b.t(s);
        }
        b.nl();
    }
    b.nl();
    let a = c.one(c.lang.ask);
    b.t(a).nl();
}

fn record(c: &mut Ctx, b: &mut B) {
    let ask = c.one(&[
        "Clean up these customer records and flag duplicates:",
        "Convert this export to a markdown table:",
        "Which of these customers are in arrears?",
        "Summarise the following CRM rows:",
    ]);
    b.t(ask).nl().nl();
    let json = !c.holdout && c.chance(0.4);
    if c.holdout {
        b.t("| id | name | email | phone | city | iban |").nl();
        b.t("|---|---|---|---|---|---|").nl();
    } else if !json {
        b.t("id;name;email;phone;city;iban").nl();
    }
    for row in 0..c.r.gen_range(2..6) {
        let p = c.loc.person(c.r);
        c.person = p;
        let id = c.r.gen_range(1000..99999);
        let email = c.email();
        let phone = c.phone();
        let city = c.one(c.loc.cities);
        let iban = v::iban_for(c.r, c.loc.iban);
        let dob = c.dob();
        let name = c.person.full.clone();
        if json {
            b.t(if row == 0 { "[" } else { " " });
            b.t(&format!("{{\"id\": {id}, \"name\": \""))
                .e("PERSON", &name);
            b.t("\", \"email\": \"").e("EMAIL_ADDRESS", &email);
            b.t("\", \"phone\": \"").e("PHONE_NUMBER", &phone);
            b.t("\", \"city\": \"").e("LOCATION", city);
            b.t("\", \"iban\": \"").e("IBAN_CODE", &iban);
            b.t("\", \"dob\": \"").e("DATE_OF_BIRTH", &dob);
            b.t("\"},").nl();
        } else if c.holdout {
            b.t(&format!("| {id} | ")).e("PERSON", &name).t(" | ");
            b.e("EMAIL_ADDRESS", &email)
                .t(" | ")
                .e("PHONE_NUMBER", &phone)
                .t(" | ");
            b.e("LOCATION", city)
                .t(" | ")
                .e("IBAN_CODE", &iban)
                .t(" |")
                .nl();
        } else {
            b.t(&format!("{id};"))
                .e("PERSON", &name)
                .t(";")
                .e("EMAIL_ADDRESS", &email)
                .t(";");
            b.e("PHONE_NUMBER", &phone)
                .t(";")
                .e("LOCATION", city)
                .t(";")
                .e("IBAN_CODE", &iban)
                .nl();
        }
    }
    if json {
        b.t("]").nl();
    }
    if c.chance(0.5) {
        let s = benign::snippet(c.r);
        b.nl().t(&s).nl();
    }
}

/// Code review requests: configuration and code with credentials in them.
fn code(c: &mut Ctx, b: &mut B) {
    let ask = c.one(&[
        "Can you review this config before I deploy?",
        "Why does this connection fail in production?",
        "Please refactor this to read settings from the environment.",
        "Our CI is failing on this file, any idea?",
        "Convert this .env file to a Kubernetes manifest.",
    ]);
    b.t(ask).nl().nl();
    match c.r.gen_range(0..4) {
        0 => {
            b.t("```env").nl();
            b.t(&format!(
                "APP_ENV=production\nPORT={}\nLOG_LEVEL=info\nREQUEST_ID_HEADER=X-Request-Id\n",
                c.r.gen_range(3000..9000)
            ));
            b.t("DATABASE_URL=")
                .e("CONNECTION_STRING", &v::connection_string(c.r))
                .nl();
            let t = v::api_token(c.r);
            let var = match t.provider {
                "github" => "GITHUB_TOKEN",
                "aws" => "AWS_ACCESS_KEY_ID",
                "stripe" => "STRIPE_SECRET_KEY",
                "openai" => "OPENAI_API_KEY",
                "anthropic" => "ANTHROPIC_API_KEY",
                "openrouter" => "OPENROUTER_API_KEY",
                "slack" => "SLACK_TOKEN",
                _ => "API_KEY",
            };
            b.t(var).t("=").e(t.category, &t.value).nl();
            if t.provider == "aws" || c.chance(0.3) {
                let s = v::aws_secret_key(c.r);
                b.t("AWS_SECRET_ACCESS_KEY=").e(s.category, &s.value).nl();
            }
            if c.chance(0.6) {
                b.t("SMTP_PASSWORD=").e("PASSWORD", &v::password(c.r)).nl();
            }
            b.t(&format!(
                "BUILD_SHA={}\nCACHE_TTL_SECONDS={}\n",
                benign::git_sha(c.r),
                c.r.gen_range(60..86400)
            ));
            b.t("```").nl();
        }
        1 => {
            b.t("```yaml").nl();
            b.t(&format!(
                "service:\n  name: {}\n  replicas: {}\n  image: ghcr.io/acme/api:{}\n",
                c.one(&["orders", "billing", "search"]),
                c.r.gen_range(1..9),
                benign::version(c.r)
            ));
            b.t("database:\n  host: db.internal\n  port: 5432\n  user: app\n  password: \"")
                .e("PASSWORD", &v::password(c.r))
                .t("\"\n");
            let t = v::api_token(c.r);
            b.t("integrations:\n  token: ").e(t.category, &t.value).nl();
            if c.chance(0.5) {
                let t = v::api_token(c.r);
                b.t("  webhook_secret: ").e(t.category, &t.value).nl();
            }
            b.t(&format!("  request_id: {}\n", benign::uuid(c.r)));
            if c.chance(0.4) {
                b.t("maintainer: ").e("EMAIL_ADDRESS", &c.email()).nl();
            }
            b.t("```").nl();
        }
        2 => {
            b.t("```python").nl();
            b.t("import requests\n\n");
            let t = v::api_token(c.r);
            b.t("API_KEY = \"").e(t.category, &t.value).t("\"\n");
            b.t(&format!("TIMEOUT = {}\n\n", c.r.gen_range(5..120)));
            b.t("def call(payload):\n    headers = {\"Authorization\": \"Bearer ")
                .e("JWT", &v::jwt(c.r))
                .t("\"}\n");
            b.t("    r = requests.post(\"")
                .e("URL", "https://api.example.com/v1/jobs");
            b.t(&format!(
                "\", json=payload, headers=headers, timeout=TIMEOUT)\n    r.raise_for_status()  # job {}\n    return r.json()\n",
                benign::uuid(c.r)
            ));
            if c.chance(0.5) {
                b.t("\nengine = create_engine(\"")
                    .e("CONNECTION_STRING", &v::connection_string(c.r))
                    .t("\")\n");
            }
            b.t("```").nl();
        }
        _ => {
            b.t("This key is in the repo, is that a problem? Commit ")
                .t(&benign::short_sha(c.r))
                .t(":\n\n");
            b.t("```")
                .nl()
                .e("PRIVATE_KEY", &v::pem_private_key(c.r))
                .nl()
                .t("```")
                .nl();
            if c.chance(0.5) {
                b.t("\nAlso the deploy user password is ")
                    .e("PASSWORD", &v::password(c.r))
                    .t(" and the server is ");
                b.e("IP_ADDRESS", &v::ipv4(c.r)).t(".").nl();
            }
        }
    }
    if c.chance(0.3) {
        b.nl();
        plant_token_prose(c, b);
        b.nl();
    }
    if c.chance(0.25) {
        b.nl()
            .t("Logs: ")
            .t(&benign::iso_ts(c.r))
            .t(" ERROR auth failed for device ");
        plant_mac(c, b);
        b.nl();
    }
    if c.chance(0.15) {
        plant_crypto(c, b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_reproducible_and_independent_of_size() {
        let a = generate(42, 50, 10);
        let b = generate(42, 80, 20);
        for (x, y) in a.prompts.iter().zip(&b.prompts) {
            assert_eq!(x.text, y.text);
            assert_eq!(x.labels, y.labels);
        }
        assert_ne!(generate(43, 5, 0).prompts[0].text, a.prompts[0].text);
    }

    #[test]
    fn labels_are_on_char_boundaries_sorted_and_disjoint() {
        let c = generate(7, 800, 0);
        let mut cats = std::collections::BTreeSet::new();
        for d in &c.prompts {
            assert!(!d.labels.is_empty(), "{} has no labels:\n{}", d.id, d.text);
            let mut last_end = 0;
            for l in &d.labels {
                assert!(l.start < l.end && l.end <= d.text.len());
                assert!(d.text.is_char_boundary(l.start) && d.text.is_char_boundary(l.end));
                assert!(l.start >= last_end, "{}: overlapping labels", d.id);
                last_end = l.end;
                cats.insert(l.category);
            }
        }
        for want in [
            "PERSON",
            "CREDIT_CARD",
            "IBAN_CODE",
            "API_KEY",
            "ACCESS_TOKEN",
            "PRIVATE_KEY",
            "JWT",
            "US_SSN",
            "DE_TAX_ID",
            "LOCATION",
        ] {
            assert!(cats.contains(want), "{want} never planted");
        }
    }

    #[test]
    fn holdout_style_is_labelled_the_same_way_but_written_differently() {
        let dev = generate(11, 200, 0);
        let held = generate_holdout(11, 200, 0);
        let mut same = 0;
        for (d, h) in dev.prompts.iter().zip(&held.prompts) {
            same += usize::from(d.text == h.text);
            let mut last_end = 0;
            for l in &h.labels {
                assert!(l.start >= last_end && l.start < l.end && l.end <= h.text.len());
                assert!(h.text.is_char_boundary(l.start) && h.text.is_char_boundary(l.end));
                last_end = l.end;
            }
        }
        assert_eq!(same, 0);
        assert!(held
            .prompts
            .iter()
            .any(|d| d.text.contains("| id | name |")));
    }

    #[test]
    fn benign_documents_have_no_labels_and_real_size() {
        let c = generate(1, 0, 50);
        let bytes: usize = c.benign.iter().map(|d| d.text.len()).sum();
        assert!(bytes > 50 * 400, "{bytes}");
        assert!(c.benign.iter().all(|d| d.labels.is_empty()));
    }

    #[test]
    fn sized_texts_have_the_requested_size() {
        for t in texts_of_size(3, 5, 2048) {
            assert!(t.len() <= 2048 && t.len() >= 2044);
        }
    }
}
