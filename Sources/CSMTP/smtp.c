// A thin shim over libcurl's SMTP for BizOne's security e-mails: curl_easy_setopt is variadic
// and cannot be called from Swift, and the message upload needs a C read callback.
#include "CSMTP.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_result = CURLE_OK;

static void global_init(void) { global_result = curl_global_init(CURL_GLOBAL_DEFAULT); }

typedef struct {
    const char *data;
    size_t length;
    size_t offset;
} payload;

static size_t read_payload(char *buffer, size_t size, size_t count, void *user) {
    payload *p = user;
    if (size == 0 || count > ((size_t)-1) / size) return 0;
    size_t room = size * count;
    size_t left = p->length - p->offset;
    size_t n = left < room ? left : room;
    memcpy(buffer, p->data + p->offset, n);
    p->offset += n;
    return n;
}

static void set_error(char *error, size_t error_size, const char *text) {
    if (error == NULL || error_size == 0) return;
    snprintf(error, error_size, "%s", text);
}

int bizone_smtp_send(const bizone_smtp_request *request, char *error, size_t error_size, long *reply_code) {
    if (reply_code) *reply_code = 0;
    set_error(error, error_size, "");
    pthread_once(&global_once, global_init);
    if (global_result != CURLE_OK) {
        set_error(error, error_size, curl_easy_strerror(global_result));
        return (int)global_result;
    }
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        set_error(error, error_size, "libcurl could not start a transfer");
        return (int)CURLE_FAILED_INIT;
    }
    char url[600];
    const char *scheme = request->security == BIZONE_SMTP_TLS ? "smtps" : "smtp";
    // An IPv6 literal goes in brackets; the host was checked to be a name or an address.
    if (strchr(request->host, ':') != NULL) {
        snprintf(url, sizeof url, "%s://[%s]:%d", scheme, request->host, request->port);
    } else {
        snprintf(url, sizeof url, "%s://%s:%d", scheme, request->host, request->port);
    }
    char from[400];
    snprintf(from, sizeof from, "<%s>", request->from);
    char to[400];
    snprintf(to, sizeof to, "<%s>", request->recipient);
    struct curl_slist *recipients = curl_slist_append(NULL, to);
    char curl_error[CURL_ERROR_SIZE];
    curl_error[0] = 0;
    payload body = {request->message, request->message_length, 0};

    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_USE_SSL, request->security == BIZONE_SMTP_PLAIN ? (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
    if (request->username) curl_easy_setopt(curl, CURLOPT_USERNAME, request->username);
    if (request->password) curl_easy_setopt(curl, CURLOPT_PASSWORD, request->password);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_payload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &body);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, request->timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, request->timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);

    CURLcode result = curl_easy_perform(curl);
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    if (reply_code) *reply_code = code;
    if (result != CURLE_OK) {
        set_error(error, error_size, curl_error[0] ? curl_error : curl_easy_strerror(result));
    }
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    return (int)result;
}
