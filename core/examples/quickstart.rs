use routeguard::dlp::{Action, Rewriter, Scanner};

fn main() -> routeguard::Result<()> {
    let scanner = Scanner::builtin(); // the default profile; Scanner::from_config for your own
    let prompt = "Email jane.doe@example.com about card 4111 1111 1111 1111";
    let findings = scanner.scan(prompt); // byte offsets: &prompt[f.start..f.end]
    for f in &findings {
        println!("{} {}..{}", f.detector, f.start, f.end);
    }
    let mut rewriter = Rewriter::new(scanner.mask_config().clone()).with_action(Action::Redact);
    println!("{}", rewriter.rewrite(prompt, &findings)?.text); // Email [EMAIL_ADDRESS] about card [CREDIT_CARD]
    Ok(())
}
