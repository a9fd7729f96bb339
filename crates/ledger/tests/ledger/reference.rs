//! A naive, independent RFC 6962 §2.1 implementation, written straight from the RFC's recursive
//! definitions with `sha2` directly — nothing from the crate — to check the crate against.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

pub type H = [u8; 32];

pub fn leaf(data: &[u8]) -> H {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

fn node(l: &H, r: &H) -> H {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(l);
    h.update(r);
    h.finalize().into()
}

/// Largest power of two strictly below `n` (n > 1).
fn split(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// The leaves D[0..] and a memo of MTH(D[a:b]), shared by every tree size since the trees are
/// prefixes of one log.
pub struct Reference {
    pub leaves: Vec<Vec<u8>>,
    memo: HashMap<(usize, usize), H>,
}

impl Reference {
    pub fn new(leaves: Vec<Vec<u8>>) -> Self {
        Reference { leaves, memo: HashMap::new() }
    }

    /// MTH(D[a:b]).
    pub fn mth(&mut self, a: usize, b: usize) -> H {
        if let Some(h) = self.memo.get(&(a, b)) {
            return *h;
        }
        let n = b - a;
        let h = match n {
            0 => Sha256::digest([]).into(),
            1 => leaf(&self.leaves[a]),
            _ => {
                let k = split(n);
                let l = self.mth(a, a + k);
                let r = self.mth(a + k, b);
                node(&l, &r)
            }
        };
        self.memo.insert((a, b), h);
        h
    }

    /// PATH(m, D[a:b]) with, for each element, whether the sibling is on the right.
    pub fn path(&mut self, m: usize, a: usize, b: usize) -> Vec<(H, bool)> {
        let n = b - a;
        if n == 1 {
            return Vec::new();
        }
        let k = split(n);
        if m < k {
            let mut p = self.path(m, a, a + k);
            p.push((self.mth(a + k, b), true));
            p
        } else {
            let mut p = self.path(m - k, a + k, b);
            p.push((self.mth(a, a + k), false));
            p
        }
    }

    /// The side of each sibling in PATH(m, D[n]) (true = right), without hashing.
    pub fn sides(m: usize, n: usize) -> Vec<bool> {
        if n == 1 {
            return Vec::new();
        }
        let k = split(n);
        let mut p = if m < k { Self::sides(m, k) } else { Self::sides(m - k, n - k) };
        p.push(m < k);
        p
    }

    /// The branch taken at each step of SUBPROOF(m, D[n], true), without hashing: two size pairs
    /// with the same shape make the verifier perform the same computation.
    pub fn proof_shape(m: usize, n: usize) -> Vec<u8> {
        fn go(m: usize, n: usize, complete: bool, out: &mut Vec<u8>) {
            if m == n {
                out.push(if complete { b'e' } else { b'x' });
                return;
            }
            let k = split(n);
            if m <= k {
                go(m, k, complete, out);
                out.push(b'r');
            } else {
                go(m - k, n - k, false, out);
                out.push(b'l');
            }
        }
        let mut out = Vec::new();
        go(m, n, true, &mut out);
        out
    }

    /// PROOF(m, D[0:n]) = SUBPROOF(m, D[n], true).
    pub fn proof(&mut self, m: usize, n: usize) -> Vec<H> {
        self.subproof(m, 0, n, true)
    }

    fn subproof(&mut self, m: usize, a: usize, b: usize, complete: bool) -> Vec<H> {
        let n = b - a;
        if m == n {
            return if complete { Vec::new() } else { vec![self.mth(a, b)] };
        }
        let k = split(n);
        if m <= k {
            let mut p = self.subproof(m, a, a + k, complete);
            p.push(self.mth(a + k, b));
            p
        } else {
            let mut p = self.subproof(m - k, a + k, b, false);
            p.push(self.mth(a, a + k));
            p
        }
    }
}
