@testable import BizOneConfig
import BizOneModel
import Foundation
import Testing

@Test func scratch() throws {
    let long = String(repeating: "word ", count: 210)
    let cases: [String] = [
        YAML.documents(YAML.integration, YAML.template(), YAML.template(), YAML.template(language: "id")),
        YAML.documents(YAML.integration, YAML.template(), YAML.audience(), YAML.schedule(), YAML.campaign(template: "order_updat")),
        YAML.documents(YAML.integration, YAML.template(), YAML.template(language: "id"), YAML.audience(), YAML.schedule(), YAML.campaign(language: "en_GB")),
        YAML.documents(YAML.integration, YAML.template(), YAML.campaign(audience: "vipp", schedule: "daily")),
        YAML.documents(YAML.role(), YAML.user(roles: "[admin, editor]")),
        YAML.documents(YAML.integration, YAML.template(language: "en-us"), YAML.audience(), YAML.schedule(), YAML.campaign(language: "en-us")),
        YAML.documents(YAML.integration, YAML.template().replacingOccurrences(of: "category: UTILITY", with: "category: utility"), YAML.audience(), YAML.schedule(), YAML.campaign()),
        YAML.documents(YAML.role().replacingOccurrences(of: "permissions:", with: "permisions:"), YAML.user()),
        YAML.documents(YAML.integration, YAML.template(), YAML.audience(), YAML.schedule(), YAML.campaign(parameters: "    first_name: \"{{contact.name}}\"\n    coupon: X1\n")),
        YAML.documents(YAML.integration, YAML.template().replacingOccurrences(of: "text: Hi {{first_name}}, your order {{order_id}} has shipped.", with: "text: Hi {{first_name}}, your order {{order_id}} has shipped. \(long)")),
        YAML.audience().replacingOccurrences(of: "+6281234567890", with: "081234567890"),
        YAML.audience("VIP_list"),
        YAML.schedule().replacingOccurrences(of: "timezone: Asia/Jakarta", with: "timezone: Asia/Jakarta\n  expireAfter: 5 minutes"),
    ]
    for text in cases {
        let (result, file) = try loadOne(text)
        print("-----\n\(file)")
        for d in result.diagnostics { print(d) }
        print("IDS", result.ids)
    }
}
