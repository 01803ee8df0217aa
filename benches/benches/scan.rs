//! Throughput of the built-in scanner over 2 KB prompts, every detector on.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use routeguard::dlp::Scanner;
use routeguard_benches::corpus;

fn scan_2kb(c: &mut Criterion) {
    let texts = corpus::texts_of_size(42, 256, 2048);
    let bytes: usize = texts.iter().map(String::len).sum();
    let scanner = Scanner::builtin();
    let mut group = c.benchmark_group("scan");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("builtin_2kb_prompts", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(scanner.scan(black_box(t)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, scan_2kb);
criterion_main!(benches);
