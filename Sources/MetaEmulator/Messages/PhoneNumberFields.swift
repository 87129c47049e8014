import BizOneModel
import MetaGraph

/// `GET /{phone-number-id}` fields (reference §10).
enum PhoneNumberFields {
    static let nodeType = "WhatsAppBusinessPhoneNumber"
    static let defaults = ["id", "display_phone_number", "verified_name", "quality_rating"]
    static let known: Set<String> = ["id", "display_phone_number", "verified_name", "quality_rating", "throughput",
                                     "whatsapp_business_manager_messaging_limit", "messaging_limit_tier", "name_status",
                                     "code_verification_status", "status", "platform_type", "account_mode",
                                     "is_official_business_account"]
}

extension EmulatorState {
    func phoneNumberInfo(fields requested: [String]?) -> Augmented<PhoneNumberInfo> {
        var info = PhoneNumberInfo(id: configuration.phoneNumberID)
        var extras: [String: JSONValue] = [:]
        for field in requested ?? PhoneNumberFields.defaults {
            switch field {
            case "display_phone_number": info.displayPhoneNumber = configuration.displayPhoneNumber
            case "verified_name": info.verifiedName = configuration.verifiedName
            case "quality_rating": info.qualityRating = configuration.qualityRating
            case "throughput": info.throughput = .init(level: limits.messagesPerSecond >= 1000 ? "HIGH" : "STANDARD")
            case "whatsapp_business_manager_messaging_limit": info.messagingLimit = configuration.messagingLimitTier
            case "messaging_limit_tier": extras[field] = .string(configuration.messagingLimitTier)
            case "name_status": info.nameStatus = "APPROVED"
            case "code_verification_status": info.codeVerificationStatus = "VERIFIED"
            case "status": info.status = "CONNECTED"
            case "platform_type": extras[field] = .string("CLOUD_API")
            case "account_mode": extras[field] = .string("LIVE")
            case "is_official_business_account": extras[field] = .bool(false)
            default: break
            }
        }
        return Augmented(info, extras: extras)
    }
}
