import routeguard

scanner = routeguard.Scanner()  # default profile; or Scanner(config=dict), Scanner.from_file(path)
prompt = "Email jane.doe@example.com about card 4111 1111 1111 1111"
for f in scanner.scan(prompt):
    print(f.detector, f.start, f.end)  # code-point offsets: prompt[f.start:f.end]
result = scanner.redact(prompt, action="redact")
print(result.text)  # Email [EMAIL_ADDRESS] about card [CREDIT_CARD]
