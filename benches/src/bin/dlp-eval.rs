//! Accuracy of the built-in scanner on the generated corpus: precision, recall and F1 per
//! category, secret recall and false positives per 100 KB of benign text.
//!
//! `dlp-eval [--seed N] [--prompts N] [--benign N] [--json] [--examples N] [--dump DIR] [--show ID] [--holdout]`

use std::path::PathBuf;
use std::process::ExitCode;

use routeguard::dlp::Scanner;
use routeguard_benches::{corpus, eval};

struct Args {
    seed: u64,
    prompts: usize,
    benign: Option<usize>,
    json: bool,
    examples: usize,
    dump: Option<PathBuf>,
    show: Vec<String>,
    holdout: bool,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        seed: 42,
        prompts: 2000,
        benign: None,
        json: false,
        examples: 4,
        dump: None,
        show: Vec::new(),
        holdout: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--seed" => {
                a.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--prompts" => {
                a.prompts = value("--prompts")?
                    .parse()
                    .map_err(|e| format!("--prompts: {e}"))?
            }
            "--benign" => {
                a.benign = Some(
                    value("--benign")?
                        .parse()
                        .map_err(|e| format!("--benign: {e}"))?,
                )
            }
            "--examples" => {
                a.examples = value("--examples")?
                    .parse()
                    .map_err(|e| format!("--examples: {e}"))?
            }
            "--json" => a.json = true,
            "--dump" => a.dump = Some(PathBuf::from(value("--dump")?)),
            "--show" => a.show.push(value("--show")?),
            "--holdout" => a.holdout = true,
            "-h" | "--help" => {
                println!(
                    "dlp-eval [--seed N] [--prompts N] [--benign N] [--json] [--examples N] [--dump DIR] [--show ID]... [--holdout]\n\n\
                     Generates the labelled corpus, scans it with the built-in scanner and prints\n\
                     precision/recall/F1 per category. --dump DIR writes DIR/corpus.jsonl and exits;\n\
                     --show ID prints one document (p12, b3) with its labels and findings;\n\
                     --holdout uses the held-out prompt style (other phrasing and layouts)."
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("dlp-eval: {e}");
            return ExitCode::from(2);
        }
    };
    let benign = args.benign.unwrap_or(args.prompts.div_ceil(2));
    let corpus = if args.holdout {
        corpus::generate_holdout(args.seed, args.prompts, benign)
    } else {
        corpus::generate(args.seed, args.prompts, benign)
    };
    if let Some(dir) = &args.dump {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("dlp-eval: cannot create {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
        let path = dir.join("corpus.jsonl");
        let all = corpus.prompts.into_iter().chain(corpus.benign);
        if let Err(e) = std::fs::write(&path, eval::to_jsonl(all)) {
            eprintln!("dlp-eval: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {}", path.display());
        return ExitCode::SUCCESS;
    }
    if !args.show.is_empty() {
        for id in &args.show {
            match corpus.all().find(|d| &d.id == id) {
                Some(d) => print!("{}", eval::explain(Scanner::builtin(), d)),
                None => eprintln!("dlp-eval: no document {id}"),
            }
        }
        return ExitCode::SUCCESS;
    }
    let report = eval::evaluate(Scanner::builtin(), &corpus, args.seed, args.examples);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("the report serialises")
        );
    } else {
        print!("{}", eval::render(&report));
        if args.examples > 0 {
            println!();
            print!("{}", eval::render_examples(&report));
        }
    }
    ExitCode::SUCCESS
}
