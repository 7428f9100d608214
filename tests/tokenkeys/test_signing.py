"""tokenkeys.signing: private keys and the key pairs `brand-matrix token keygen` writes."""

from __future__ import annotations

import stat

import jwt
import pytest

from tokenkeys.signing import SigningKey, private_key, write_key_pair
from tokenkeys.verification import public_key

from .keys import ed_key, private_pem, public_pem, rsa_key


@pytest.mark.parametrize("algorithm", ["RS256", "ES256", "EdDSA"])
def test_a_written_pair_signs_and_verifies(tmp_path, algorithm):
    private_path, public_path = write_key_pair(algorithm, "k1", tmp_path / "keys")
    assert (private_path.name, public_path.name) == ("k1.private.pem", "k1.public.pem")
    assert stat.S_IMODE(private_path.stat().st_mode) == 0o600
    signer = private_key(private_path.read_bytes(), kid="k1")
    assert signer.algorithm == algorithm
    token = jwt.encode({"sub": "x"}, signer.secret, algorithm, headers={"kid": "k1"})
    verifier = public_key(public_path.read_bytes(), kid="k1")
    assert jwt.decode(token, verifier.key, algorithms=[verifier.algorithm])["sub"] == "x"


def test_a_key_is_never_overwritten(tmp_path):
    private_path, _ = write_key_pair("EdDSA", "k1", tmp_path)
    before = private_path.read_bytes()
    with pytest.raises(ValueError, match="exists already"):
        write_key_pair("EdDSA", "k1", tmp_path)
    assert private_path.read_bytes() == before
    (tmp_path / "k2.public.pem").write_text("someone else's")
    with pytest.raises(ValueError, match=r"k2\.public\.pem exists already"):
        write_key_pair("RS256", "k2", tmp_path)
    assert not (tmp_path / "k2.private.pem").exists()


def test_keygen_refuses_unknown_algorithms_and_unsafe_kids(tmp_path):
    with pytest.raises(ValueError, match="unknown algorithm 'HS256'"):
        write_key_pair("HS256", "k1", tmp_path)
    with pytest.raises(ValueError, match="kid"):
        write_key_pair("EdDSA", "../escape", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_signing_key_verifies_with_its_public_half():
    key = ed_key()
    signer = SigningKey.private("k1", key)
    assert signer.verification_key.is_public and signer.verification_key.algorithm == "EdDSA"
    hs = SigningKey("k2", "s" * 32)
    assert hs.is_shared_secret and not hs.verification_key.is_public


def test_public_and_private_pems_are_not_mixed_up():
    key = rsa_key()
    with pytest.raises(ValueError, match="holds a public key"):
        private_key(public_pem(key), kid="k")
    with pytest.raises(ValueError, match="holds a private key"):
        public_key(private_pem(key), kid="k")
