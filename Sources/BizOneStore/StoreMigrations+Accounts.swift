import GRDB

extension StoreMigrations {
    /// Sign-in for the declared Users (issue 11): the only per-person state. Users and roles stay
    /// in git; these tables hold what cannot be declared, and never a secret in clear (every
    /// token is stored as its SHA-256, passwords as bcrypt).
    ///
    /// - `user_credentials`: a user's password hash, by User resource name.
    /// - `user_tokens`: one-time tokens that let a person set a password (`invite` from
    ///   `bizone user invite`, `reset` from forgot-password), expiring, spent by `used_at`.
    /// - `user_sessions`: one signed-in device (agent, IP, times); `revoked_at` ends it at once.
    /// - `session_tokens`: the access and refresh tokens of a session. A refresh token is
    ///   `rotated_at` when it is exchanged; a rotated one presented again is the mark of a stolen
    ///   token and ends the whole session.
    /// - `login_failures`: failed sign-ins by e-mail (lower-cased, known or not) and client IP,
    ///   for the sliding-window limits; a successful sign-in clears its e-mail's rows, so the
    ///   count per e-mail is the consecutive failures.
    /// - `user_two_factor`: a user's TOTP secret, sealed (AES-GCM under serve's secret key, never
    ///   in clear); pending until `confirmed_at`. `last_step` is the last TOTP time step used,
    ///   so one code never signs in twice.
    /// - `recovery_codes`: the single-use recovery codes of a user's 2FA, as hashes.
    /// - `security_events`: what happened to whose account, for `bizone audit`.
    /// - `roles.require_two_factor`: the Role's `spec.requireTwoFactor`.
    static func v8Accounts(_ db: Database) throws {
        try db.create(table: "user_credentials") { t in
            t.primaryKey("user_name", .text)
            t.column("password_hash", .text).notNull()
            t.column("changed_at", .text).notNull()
        }
        try db.create(table: "user_tokens") { t in
            t.primaryKey("token_hash", .text)
            t.column("user_name", .text).notNull().indexed()
            t.column("purpose", .text).notNull().check(sql: "purpose IN ('invite', 'reset')")
            t.column("created_at", .text).notNull()
            t.column("expires_at", .text).notNull()
            t.column("used_at", .text)
        }
        try db.create(table: "user_sessions") { t in
            t.primaryKey("id", .text)
            t.column("user_name", .text).notNull().indexed()
            t.column("created_at", .text).notNull()
            t.column("last_used_at", .text).notNull()
            t.column("expires_at", .text).notNull()
            t.column("ip", .text)
            t.column("user_agent", .text)
            t.column("revoked_at", .text)
            t.column("revoke_reason", .text)
        }
        try db.create(table: "session_tokens") { t in
            t.primaryKey("token_hash", .text)
            t.column("session_id", .text).notNull().indexed()
            t.column("kind", .text).notNull().check(sql: "kind IN ('access', 'refresh')")
            t.column("issued_at", .text).notNull()
            t.column("expires_at", .text).notNull()
            t.column("rotated_at", .text)
        }
        try db.create(table: "login_failures") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("at", .text).notNull()
            t.column("email_key", .text).notNull()
            t.column("ip", .text)
        }
        try db.create(index: "login_failures_on_email_key_at", on: "login_failures", columns: ["email_key", "at"])
        try db.create(index: "login_failures_on_ip_at", on: "login_failures", columns: ["ip", "at"])
        try db.create(table: "user_two_factor") { t in
            t.primaryKey("user_name", .text)
            t.column("sealed_secret", .text).notNull()
            t.column("created_at", .text).notNull()
            t.column("confirmed_at", .text)
            t.column("last_step", .integer)
        }
        try db.create(table: "recovery_codes") { t in
            t.primaryKey("code_hash", .text)
            t.column("user_name", .text).notNull().indexed()
            t.column("created_at", .text).notNull()
            t.column("used_at", .text)
        }
        try db.alter(table: "roles") { t in
            t.add(column: "require_two_factor", .boolean).notNull().defaults(to: false)
        }
        try db.create(table: "security_events") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("at", .text).notNull().indexed()
            t.column("kind", .text).notNull()
            t.column("user_name", .text).indexed()
            t.column("email", .text)
            t.column("session_id", .text)
            t.column("ip", .text)
            t.column("detail", .text)
        }
    }
}
