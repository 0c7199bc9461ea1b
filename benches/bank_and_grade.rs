//! Benchmarks for the two hot paths of the bank: grading one answer (target ≤ 15 µs for a 100-word
//! answer against a 5-point question) and loading a 10,000-question bank (target ≤ 150 ms).
//! Run with `cargo bench --bench bank_and_grade`; criterion prints the median of each.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use interview_bot::core::bank::Bank;
use interview_bot::core::grade::grade;

const FIVE_POINT_DECK: &str = "---\nid: bench\ntitle: Bench\n---\n\n\
## How do you secure a Django REST API?\n\n\
id: secure-api | tags: security, drf | difficulty: medium\n\n\
- authenticate requests with `TokenAuthentication` or JWT\n  - also: token auth, json web token\n  - weight: 2\n\
- require permissions such as `IsAuthenticated` and `IsAdminUser`\n\
- serve everything over HTTPS with `SECURE_SSL_REDIRECT`\n  - also: tls, ssl\n\
- throttle clients with `UserRateThrottle` and `AnonRateThrottle`\n  - also: rate limiting\n\
- validate every request body with serializers\n  - also: input validation\n";

/// About 100 words, the length of a thoughtful chat answer.
const ANSWER: &str = "First I would make sure every request is authenticated, usually with DRF's \
TokenAuthentication or a JWT library such as simplejwt, so that the API never trusts anonymous \
callers for anything that changes data. Then each view gets permission classes like \
IsAuthenticated, and IsAdminUser for the admin endpoints, set as defaults in the REST_FRAMEWORK \
settings. The whole site runs behind HTTPS with SECURE_SSL_REDIRECT and HSTS turned on. To stop \
abuse I configure throttling with UserRateThrottle and AnonRateThrottle and sensible rates. \
Finally every payload goes through a serializer so the input is validated before it reaches the \
models, and errors come back as clean 400 responses.";

fn grading(c: &mut Criterion) {
    let bank = Bank::from_sources(vec![(
        "bench.md".into(),
        FIVE_POINT_DECK.as_bytes().to_vec(),
    )])
    .expect("the bench deck is valid");
    let question = bank.question("secure-api").expect("question exists");
    assert!(ANSWER.split_whitespace().count() >= 100);
    c.bench_function("grade 100-word answer, 5 key points", |b| {
        b.iter(|| grade(black_box(question), black_box(ANSWER)))
    });
}

const TOPICS: &[&str] = &[
    "django",
    "python",
    "drf",
    "orm",
    "security",
    "testing",
    "deployment",
    "caching",
    "celery",
    "migrations",
];
const WORDS: &[&str] = &[
    "request",
    "response",
    "middleware",
    "serializer",
    "queryset",
    "transaction",
    "signal",
    "template",
    "session",
    "token",
    "cache",
    "worker",
    "process",
    "thread",
    "memory",
    "heap",
    "router",
    "viewset",
    "permission",
    "throttle",
    "pagination",
    "cursor",
    "migration",
    "schema",
    "index",
    "foreign",
    "manager",
    "model",
    "field",
    "validator",
    "authentication",
    "header",
    "cookie",
    "proxy",
    "container",
    "deployment",
    "logging",
    "metrics",
    "profiling",
    "generator",
];

/// Writes `files` decks of `per_file` questions each, every question with 4 key points.
fn write_generated_bank(dir: &Path, files: usize, per_file: usize) {
    let mut n = 0usize;
    for f in 0..files {
        let mut deck = format!(
            "---\nid: deck-{f}\ntitle: Generated deck {f}\nnotes: notes.md\n---\n\n# Deck {f}\n"
        );
        for _ in 0..per_file {
            let topic = TOPICS[n % TOPICS.len()];
            let word = |k: usize| WORDS[(n * 7 + k * 13) % WORDS.len()];
            deck.push_str(&format!(
                "\n## How does the {} relate to the {} in question {n}?\n\n\
                 id: q-{n} | tags: {topic}, generated | difficulty: medium | section: Section {n}\n\n\
                 - the {} keeps the {} consistent\n  - also: {} {}\n  - weight: 2\n\
                 - a `{}_{}` call reads the {}\n\
                 - the {} is checked before the {}\n\
                 - each {} owns one {}\n\nHint: think about the {}.\n",
                word(0), word(1),
                word(2), word(3), word(4), word(5),
                word(6), word(7), word(8),
                word(9), word(10),
                word(11), word(12), word(0),
            ));
            n += 1;
        }
        std::fs::write(dir.join(format!("deck-{f}.md")), deck).expect("write deck");
    }
}

fn loading(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    write_generated_bank(dir.path(), 20, 500);
    let bank = Bank::load(dir.path()).expect("the generated bank is valid");
    assert_eq!(bank.questions().len(), 10_000);
    let mut group = c.benchmark_group("bank");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("load + validate 10,000 questions", |b| {
        b.iter(|| Bank::load(black_box(dir.path())).expect("valid"))
    });
    group.finish();
}

criterion_group!(benches, grading, loading);
criterion_main!(benches);
