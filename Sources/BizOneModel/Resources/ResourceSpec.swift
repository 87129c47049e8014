/// The typed spec of a resource, one case per kind.
public enum ResourceSpec: Sendable, Hashable {
    case integration(IntegrationSpec)
    case mailer(MailerSpec)
    case template(TemplateSpec)
    case audience(AudienceSpec)
    case schedule(ScheduleSpec)
    case campaign(CampaignSpec)
    case role(RoleSpec)
    case user(UserSpec)
    case webhookRoute(WebhookRouteSpec)
    case sla(SLASpec)
    case cannedResponse(CannedResponseSpec)

    public var kind: ResourceKind {
        switch self {
        case .integration: return .integration
        case .mailer: return .mailer
        case .template: return .template
        case .audience: return .audience
        case .schedule: return .schedule
        case .campaign: return .campaign
        case .role: return .role
        case .user: return .user
        case .webhookRoute: return .webhookRoute
        case .sla: return .sla
        case .cannedResponse: return .cannedResponse
        }
    }

    /// Decodes the spec of `kind` from its JSON tree (after defaults were filled in).
    public static func decode(kind: ResourceKind, from value: JSONValue) throws -> ResourceSpec {
        switch kind {
        case .integration: return .integration(try value.decode(IntegrationSpec.self))
        case .mailer: return .mailer(try value.decode(MailerSpec.self))
        case .template: return .template(try value.decode(TemplateSpec.self))
        case .audience: return .audience(try value.decode(AudienceSpec.self))
        case .schedule: return .schedule(try value.decode(ScheduleSpec.self))
        case .campaign: return .campaign(try value.decode(CampaignSpec.self))
        case .role: return .role(try value.decode(RoleSpec.self))
        case .user: return .user(try value.decode(UserSpec.self))
        case .webhookRoute: return .webhookRoute(try value.decode(WebhookRouteSpec.self))
        case .sla: return .sla(try value.decode(SLASpec.self))
        case .cannedResponse: return .cannedResponse(try value.decode(CannedResponseSpec.self))
        }
    }

    public func jsonValue() throws -> JSONValue {
        switch self {
        case .integration(let spec): return try JSONValue(encoding: spec)
        case .mailer(let spec): return try JSONValue(encoding: spec)
        case .template(let spec): return try JSONValue(encoding: spec)
        case .audience(let spec): return try JSONValue(encoding: spec)
        case .schedule(let spec): return try JSONValue(encoding: spec)
        case .campaign(let spec): return try JSONValue(encoding: spec)
        case .role(let spec): return try JSONValue(encoding: spec)
        case .user(let spec): return try JSONValue(encoding: spec)
        case .webhookRoute(let spec): return try JSONValue(encoding: spec)
        case .sla(let spec): return try JSONValue(encoding: spec)
        case .cannedResponse(let spec): return try JSONValue(encoding: spec)
        }
    }
}

extension ResourceKind {
    /// The schema of `spec` for this kind.
    public var specSchema: ObjectSchema {
        switch self {
        case .integration: return IntegrationSpec.schema
        case .mailer: return MailerSpec.schema
        case .template: return TemplateSpec.schema
        case .audience: return AudienceSpec.schema
        case .schedule: return ScheduleSpec.schema
        case .campaign: return CampaignSpec.schema
        case .role: return RoleSpec.schema
        case .user: return UserSpec.schema
        case .webhookRoute: return WebhookRouteSpec.schema
        case .sla: return SLASpec.schema
        case .cannedResponse: return CannedResponseSpec.schema
        }
    }

    /// The schema of a whole document of this kind: apiVersion, kind, metadata, spec.
    public var documentSchema: ObjectSchema {
        ObjectSchema(specSchema.description, [
            Property("apiVersion", .oneOf([BizOne.apiVersion]), required: true, "Always \(BizOne.apiVersion)."),
            Property("kind", .oneOf([rawValue]), required: true, "The resource kind."),
            Property("metadata", .object(Metadata.schema(for: self)), required: true, "Name and labels."),
            Property("spec", .object(specSchema), required: true, "The desired state."),
        ])
    }
}
