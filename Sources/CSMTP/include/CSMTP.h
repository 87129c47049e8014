#ifndef CSMTP_H
#define CSMTP_H

#include <stddef.h>

/// How the SMTP connection is protected.
typedef enum {
    BIZONE_SMTP_PLAIN = 0,     ///< no encryption (loopback relays and test sinks)
    BIZONE_SMTP_STARTTLS = 1,  ///< STARTTLS required before anything is sent
    BIZONE_SMTP_TLS = 2,       ///< TLS from the first byte (SMTPS)
} bizone_smtp_security;

/// One message to one recipient. Strings are NUL-terminated UTF-8; username and password may
/// be NULL (no AUTH); message is the whole RFC 5322 text with CRLF line ends.
typedef struct {
    const char *host;
    int port;
    bizone_smtp_security security;
    const char *username;
    const char *password;
    const char *from;
    const char *recipient;
    const char *message;
    size_t message_length;
    long timeout_seconds;
} bizone_smtp_request;

/// Sends with libcurl's SMTP (blocking). Returns 0 when the server accepted the message;
/// otherwise libcurl's error code, with a message in `error` (always NUL-terminated) and the
/// server's last reply code in `reply_code` (0 when there was none).
int bizone_smtp_send(const bizone_smtp_request *request, char *error, size_t error_size, long *reply_code);

#endif
