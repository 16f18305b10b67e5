"""A stand-in OAuth2 token endpoint (RFC 6749 + PKCE, RFC 7636) for tests:
Gmail and Outlook are on the internet, so the tests talk to this instead.
Usage: oauth_standin.py PORT DIR. It checks the PKCE verifier against
DIR/challenge, answers the code "good-code" and the refresh token "rt-1",
and appends every grant it sees to DIR/grants. The code grant's id_token
(unsigned: it comes straight from the token endpoint) says the user signed in
as DIR/email, by default me@gmail.com."""
import base64, hashlib, http.server, json, os, sys, urllib.parse

PORT, DIR = int(sys.argv[1]), sys.argv[2]

class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(n).decode())
        get = lambda k: form.get(k, [""])[0]
        grant = get("grant_type")
        with open(os.path.join(DIR, "grants"), "a") as f:
            f.write(grant + "\n")
        if get("client_id") != "test-client" or get("client_secret") != "test-secret":
            return self.answer(401, {"error": "invalid_client"})
        if grant == "authorization_code":
            challenge = open(os.path.join(DIR, "challenge")).read().strip()
            digest = hashlib.sha256(get("code_verifier").encode()).digest()
            mine = base64.urlsafe_b64encode(digest).decode().rstrip("=")
            if get("code") != "good-code" or mine != challenge:
                return self.answer(400, {"error": "invalid_grant"})
            who = os.path.join(DIR, "email")
            email = open(who).read().strip() if os.path.exists(who) else "me@gmail.com"
            b64 = lambda o: base64.urlsafe_b64encode(json.dumps(o).encode()).decode().rstrip("=")
            id_token = b64({"alg": "none"}) + "." + b64({"email": email, "email_verified": True}) + "."
            return self.answer(200, {"access_token": "at-1", "refresh_token": "rt-1",
                                     "expires_in": 1, "token_type": "Bearer",
                                     "id_token": id_token})
        if grant == "refresh_token":
            if get("refresh_token") != "rt-1" or os.path.exists(os.path.join(DIR, "revoked")):
                return self.answer(400, {"error": "invalid_grant"})
            return self.answer(200, {"access_token": "at-2", "expires_in": 3600,
                                     "token_type": "Bearer"})
        return self.answer(400, {"error": "unsupported_grant_type"})

http.server.HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
