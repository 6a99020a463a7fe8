from helpers.engine.passcode import hash_passcode, new_passcode, verify_passcode


def test_round_trip_and_salt():
    stored = hash_passcode("12345678")
    assert verify_passcode("12345678", stored)
    assert not verify_passcode("12345679", stored)
    assert stored != hash_passcode("12345678")
    assert "12345678" not in stored


def test_malformed_hash_never_matches():
    for stored in ("", "x$y", "md5$1$a$b", "pbkdf2_sha256$notanumber$a$b"):
        assert not verify_passcode("1", stored)


def test_new_passcode_is_eight_digits():
    code = new_passcode()
    assert len(code) == 8 and code.isdigit()
