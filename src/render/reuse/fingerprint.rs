//! Fingerprints: what an output file is made from, in 128 bits. XXH3-128: change detection,
//! not security, and fast enough to hash every page's variables on every build.
//!
//! Every fingerprint starts from the identity of the program that makes the file
//! ([`Program`]), then the kind of file, then its parts, each preceded by its length so that
//! no two lists of parts give the same input.

use std::io::Read;
use std::path::Path;

use xxhash_rust::xxh3::Xxh3;

/// A 128-bit fingerprint; written as 32 hex digits in the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub u128);

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl serde::Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Fingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        u128::from_str_radix(&s, 16)
            .map(Fingerprint)
            .map_err(serde::de::Error::custom)
    }
}

/// Builds a fingerprint part by part. Cloning it is cheap: a common start (the program, the
/// templates) is hashed once and cloned for every file.
#[derive(Clone)]
pub struct Hasher(Xxh3);

impl Hasher {
    /// A fingerprint of a file of `kind` (`page`, `file`, `pdf`) made by `program`.
    pub fn new(program: &Program, kind: &str) -> Hasher {
        let mut h = Hasher(Xxh3::new());
        h.part(&program.id.0.to_le_bytes()).part(kind.as_bytes());
        h
    }

    /// Adds one part.
    pub fn part(&mut self, bytes: &[u8]) -> &mut Hasher {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// Adds one part made of `pieces` joined: the same as `part(&pieces.concat())`, without
    /// making the joined copy.
    pub fn part_joined(&mut self, pieces: &[&[u8]]) -> &mut Hasher {
        let len: usize = pieces.iter().map(|p| p.len()).sum();
        self.0.update(&(len as u64).to_le_bytes());
        for p in pieces {
            self.0.update(p);
        }
        self
    }

    pub fn finish(&self) -> Fingerprint {
        Fingerprint(self.0.digest128())
    }
}

/// The XXH3-128 of everything `r` reads, read a MiB at a time.
pub fn digest_reader(mut r: impl Read) -> std::io::Result<u128> {
    let mut h = Xxh3::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match r.read(&mut buf) {
            Ok(0) => return Ok(h.digest128()),
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The XXH3-128 of `bytes` (a font file's, say). The streaming hasher: on this project's
/// machine it hashes large inputs as fast as the one-shot function.
pub fn digest(bytes: &[u8]) -> u128 {
    let mut h = Xxh3::new();
    h.update(bytes);
    h.digest128()
}

/// The identity of the running program: the XXH3-128 of its own executable file.
///
/// Why the executable rather than a build-time id (a `build.rs` hashing the sources): the
/// executable is everything that decides what a page or PDF looks like — the sources, but
/// also the locked dependencies and the vendored Tera, the compiler and its flags, the
/// profile — while a `build.rs` sees only the files it is told to hash and would have to be
/// kept in step with the source tree by hand. Two builds that differ in anything at all are
/// two programs, and neither keeps the other's output.
///
/// What it costs: reading and hashing the 53 MB release binary (debug information included)
/// takes 10–15 ms on this project's 2-core machine when it is quiet (about 4 GB/s, file in
/// the page cache; a stand-alone program hashing `target/release/dangjian` 1 MiB at a time,
/// five runs), 27–75 ms while other builds load it (`DANGJIAN_TIMINGS=1`, phase `program
/// identity`, five fresh copies), and 39 M instructions (callgrind: 1.938 G against 1.899 G
/// for a 1,000-branch `build --no-pdf` with nothing changed). That is a tenth of such a
/// rebuild (0.12 s), so it is paid only when the executable is not the file the previous
/// build hashed: the manifest keeps the executable's device, inode, size, modification and
/// change times beside its hash, and when they are all the same the hash is taken from
/// there (one `open` and one `stat`). Writing to a file, or replacing it, gives it a new
/// change time (which no program can set back) or a new inode, so a changed executable is
/// always hashed again.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Program {
    pub id: Fingerprint,
    /// Device, inode, size, modification and change time (ns) of the executable; `None`
    /// where they cannot be read.
    pub file: Option<[u128; 5]>,
}

impl Program {
    /// The running program's identity; `known` is what the previous build recorded, used
    /// when the executable is still that file.
    pub fn running(known: Option<&Program>) -> Program {
        let _t = crate::timings::phase("program identity");
        let exe = executable();
        let file = exe.as_ref().and_then(identity_stamp);
        if let (Some(k), Some(now)) = (known, file)
            && k.file == Some(now)
        {
            return k.clone();
        }
        let id = exe
            .and_then(|f| digest_reader(f).ok())
            .unwrap_or_else(unique);
        Program {
            id: Fingerprint(id),
            file,
        }
    }

    /// The identity of the executable `path` (for tests).
    pub fn of_file(path: &Path) -> std::io::Result<Program> {
        let f = std::fs::File::open(path)?;
        Ok(Program {
            file: identity_stamp(&f),
            id: Fingerprint(digest_reader(f)?),
        })
    }
}

/// The running executable, opened: on Linux through `/proc/self/exe`, which is the file
/// that was started even when it has been replaced or deleted since.
fn executable() -> Option<std::fs::File> {
    std::fs::File::open("/proc/self/exe")
        .ok()
        .or_else(|| std::fs::File::open(std::env::current_exe().ok()?).ok())
}

#[cfg(unix)]
fn identity_stamp(f: &std::fs::File) -> Option<[u128; 5]> {
    use std::os::unix::fs::MetadataExt;
    let m = f.metadata().ok()?;
    let ns = |s: i64, n: i64| (i128::from(s) * 1_000_000_000 + i128::from(n)) as u128;
    Some([
        u128::from(m.dev()),
        u128::from(m.ino()),
        u128::from(m.size()),
        ns(m.mtime(), m.mtime_nsec()),
        ns(m.ctime(), m.ctime_nsec()),
    ])
}

/// Without inode numbers and change times, the executable is hashed on every build.
#[cfg(not(unix))]
fn identity_stamp(_: &std::fs::File) -> Option<[u128; 5]> {
    None
}

/// An identity no other run shares, for a program that cannot read its own executable:
/// then nothing is reused, rather than output of an unknown build kept.
fn unique() -> u128 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut h = Xxh3::new();
    h.update(&now.to_le_bytes());
    h.update(&std::process::id().to_le_bytes());
    h.digest128()
}

/// Appends an unambiguous encoding of `v` to `out`, for fingerprinting: a tag per kind and
/// a length before every string, array and object, so two different values never give the
/// same bytes. Cheaper than serializing to JSON (nothing is escaped or formatted).
pub fn encode_value(v: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value;
    fn bytes(tag: u8, b: &[u8], out: &mut Vec<u8>) {
        out.push(tag);
        out.extend_from_slice(&(b.len() as u64).to_le_bytes());
        out.extend_from_slice(b);
    }
    match v {
        Value::Null => out.push(b'n'),
        Value::Bool(b) => out.push(if *b { b't' } else { b'f' }),
        Value::Number(n) => bytes(b'#', n.as_str().as_bytes(), out),
        Value::String(s) => bytes(b's', s.as_bytes(), out),
        Value::Array(a) => {
            out.push(b'[');
            out.extend_from_slice(&(a.len() as u64).to_le_bytes());
            for x in a {
                encode_value(x, out);
            }
        }
        Value::Object(m) => encode_object(m, out),
    }
}

/// [`encode_value`] of an object.
pub fn encode_object(m: &serde_json::Map<String, serde_json::Value>, out: &mut Vec<u8>) {
    out.push(b'{');
    out.extend_from_slice(&(m.len() as u64).to_le_bytes());
    for (k, x) in m {
        out.push(b'k');
        out.extend_from_slice(&(k.len() as u64).to_le_bytes());
        out.extend_from_slice(k.as_bytes());
        encode_value(x, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(id: u128) -> Program {
        Program {
            id: Fingerprint(id),
            file: None,
        }
    }

    #[test]
    fn a_part_of_pieces_joined_is_the_part_of_the_joined_bytes() {
        let p = program(1);
        let pieces: [&[u8]; 4] = [b"window.", b"", b"DANGJIAN", b" = 1;"];
        let joined = Hasher::new(&p, "file").part_joined(&pieces).finish();
        assert_eq!(
            joined,
            Hasher::new(&p, "file").part(&pieces.concat()).finish()
        );
        let mut separate = Hasher::new(&p, "file");
        for piece in pieces {
            separate.part(piece);
        }
        assert_ne!(joined, separate.finish());
    }

    #[test]
    fn the_program_and_the_kind_are_part_of_every_fingerprint() {
        let fp = |id, kind: &str| Hasher::new(&program(id), kind).part(b"x").finish();
        assert_eq!(fp(1, "page"), fp(1, "page"));
        assert_ne!(fp(1, "page"), fp(2, "page"));
        assert_ne!(fp(1, "page"), fp(1, "pdf"));
        // Parts are delimited: ("ab", "") is not ("a", "b").
        let p = program(1);
        assert_ne!(
            Hasher::new(&p, "page").part(b"ab").part(b"").finish(),
            Hasher::new(&p, "page").part(b"a").part(b"b").finish()
        );
    }

    #[test]
    fn fingerprints_read_back_from_their_hex() {
        let f = Fingerprint(0x0123_4567_89ab_cdef_0011_2233_4455_6677);
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(json, "\"0123456789abcdef0011223344556677\"");
        assert_eq!(serde_json::from_str::<Fingerprint>(&json).unwrap(), f);
        assert!(serde_json::from_str::<Fingerprint>("\"xyz\"").is_err());
    }

    #[test]
    fn the_running_program_is_hashed_once_and_known_while_its_file_is_unchanged() {
        let exe = std::env::current_exe().unwrap();
        let now = Program::running(None);
        assert_eq!(now, Program::of_file(&exe).unwrap());
        assert!(now.file.is_some());
        // Recorded by an earlier run of the same file: taken as it is (a made-up id shows
        // that nothing was hashed).
        let known = Program {
            id: Fingerprint(7),
            ..now.clone()
        };
        assert_eq!(Program::running(Some(&known)).id, Fingerprint(7));
        // Another file's record is not.
        let other = Program {
            id: Fingerprint(7),
            file: Some([0; 5]),
        };
        assert_eq!(Program::running(Some(&other)), now);
    }

    #[test]
    fn a_reader_is_hashed_as_its_bytes() {
        let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        assert_eq!(digest_reader(&bytes[..]).unwrap(), digest(&bytes));
        assert_eq!(
            digest(&bytes),
            xxhash_rust::xxh3::xxh3_128(&bytes),
            "the streaming hasher gives XXH3-128"
        );
    }

    fn encoded(v: serde_json::Value) -> Vec<u8> {
        let mut out = Vec::new();
        encode_value(&v, &mut out);
        out
    }

    #[test]
    fn different_values_encode_differently() {
        use serde_json::json;
        let values = [
            json!(null),
            json!(true),
            json!(false),
            json!(1),
            json!("1"),
            json!(["a", "b"]),
            json!(["ab"]),
            json!(["a", ["b"]]),
            json!({"a": "b"}),
            json!({"ab": ""}),
            json!({"a": {"b": null}}),
            json!([{"a": 1}, {"b": 1}]),
            json!([{"a": 1, "b": 1}]),
        ];
        let all: Vec<Vec<u8>> = values.iter().cloned().map(encoded).collect();
        for (i, a) in all.iter().enumerate() {
            for (j, b) in all.iter().enumerate() {
                assert_eq!(i == j, a == b, "{} vs {}", values[i], values[j]);
            }
        }
        assert_eq!(
            encoded(json!({"x": [1, "y"]})),
            encoded(json!({"x": [1, "y"]}))
        );
    }
}
