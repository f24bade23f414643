// The tip-off form's proof of work, off the page's thread: find the
// first nonce n such that SHA-256(salt || n as 8 bytes, most significant
// first) starts with `difficulty` zero bits, as tipoff_pow_bits
// (src/tipoff/tipoff_rules.c) checks it.
//
// In:  {salt: "<32 hex digits>", difficulty: N}
// Out: {tries: T} now and then, then {nonce: n, tries: T}.
//
// crypto.subtle answers each digest on its own promise; asking for a
// batch at once keeps it busy instead of waiting on one at a time.

const BATCH = 2048;

function hexBytes(hex) {
	const out = new Uint8Array(hex.length / 2);
	for (let i = 0; i < out.length; i++)
		out[i] = parseInt(hex.substr(2 * i, 2), 16);
	return out;
}

function zeroBits(buf) {
	const h = new Uint8Array(buf);
	let bits = 0;
	for (let i = 0; i < h.length; i++) {
		if (h[i] === 0) {
			bits += 8;
			continue;
		}
		return bits + Math.clz32(h[i]) - 24;
	}
	return bits;
}

function message(salt, n) {
	const m = new Uint8Array(salt.length + 8);
	const v = new DataView(m.buffer);
	m.set(salt, 0);
	// n < 2^53: the high word, then the low one.
	v.setUint32(salt.length, Math.floor(n / 4294967296));
	v.setUint32(salt.length + 4, n >>> 0);
	return m;
}

async function solve(salt, difficulty) {
	let n = 0;
	for (;;) {
		const work = [];
		for (let i = 0; i < BATCH; i++)
			work.push(crypto.subtle.digest('SHA-256', message(salt, n + i)));
		const hashes = await Promise.all(work);
		for (let i = 0; i < BATCH; i++) {
			if (zeroBits(hashes[i]) >= difficulty)
				return n + i;
		}
		n += BATCH;
		self.postMessage({ tries: n });
	}
}

self.onmessage = async (ev) => {
	const { salt, difficulty } = ev.data;
	try {
		const nonce = await solve(hexBytes(salt), difficulty);
		self.postMessage({ nonce, tries: nonce + 1 });
	} catch (e) {
		self.postMessage({ error: String(e && e.message || e) });
	}
};
