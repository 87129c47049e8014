import MetaGraph

/// Titles and details of the errors a recipient rule can make a send fail with (reference §15.1).
enum DeliveryFailure {
    static func describe(_ code: Int) -> (title: String, details: String) {
        switch code {
        case 131_026: return ("Message undeliverable", "Message Undeliverable.")
        case 131_049: return ("This message was not delivered to maintain healthy ecosystem engagement.",
                              "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.")
        case 131_050: return ("Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.",
                              "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.")
        case 131_047: return ("Re-engagement message",
                              "Message failed to send because more than 24 hours have passed since the customer last replied to this number.")
        case 131_000: return ("Something went wrong", "Message failed to send due to an unknown error.")
        case 131_021: return ("Recipient cannot be sender", "Sender and recipient phone number is the same.")
        case 131_042: return ("Business eligibility payment issue",
                              "Message failed to send because there were one or more errors related to your payment method.")
        case 131_048: return ("Spam rate limit hit",
                              "Message failed to send because there are restrictions on how many messages can be sent from this phone number.")
        case 131_051: return ("Unsupported message type", "Message type is not currently supported.")
        case 131_053: return ("Media upload error", "Unable to upload the media used in the message.")
        case 130_472: return ("User's number is part of an experiment", "Failed to send message because this user's phone number is part of an experiment.")
        case 131_016: return ("Service unavailable", "A service is temporarily unavailable.")
        default: return ("Message failed to send", "Message failed to send (error \(code)).")
        }
    }

    static func webhookError(_ code: Int) -> WebhookError {
        let known = describe(code)
        return WebhookError(code: code, title: known.title, message: known.title, details: known.details)
    }
}
