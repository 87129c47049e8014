import Foundation

/// Meta's published webhook payloads, verbatim from shared/fixtures/meta (see its README for
/// sources). Embedded as literals because the test target declares no resources.
enum MetaFixtures {
    static func data(_ name: String) -> Data {
        guard let text = files[name] else { fatalError("no fixture \(name)") }
        return Data(text.utf8)
    }

    static let files: [String: String] = [
        "webhook-status-sent": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "102290129340398",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "statuses": [
                      {
                        "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
                        "status": "sent",
                        "timestamp": "1750030073",
                        "recipient_id": "16505551234",
                        "conversation": {
                          "id": "72b14d6bd5407799e66f64d1b338e567",
                          "expiration_timestamp": "1750116480",
                          "origin": {
                            "type": "marketing"
                          }
                        },
                        "pricing": {
                          "billable": true,
                          "pricing_model": "PMP",
                          "type": "regular",
                          "category": "marketing"
                        }
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#,
        "webhook-status-delivered": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "102290129340398",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "statuses": [
                      {
                        "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA",
                        "status": "delivered",
                        "timestamp": "1750263773",
                        "recipient_id": "16505551234",
                        "conversation": {
                          "id": "6ceb9d929c9bdc4f90e967a32f8639b4",
                          "origin": {
                            "type": "service"
                          }
                        },
                        "pricing": {
                          "billable": true,
                          "pricing_model": "CBP",
                          "category": "service"
                        }
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#,
        "webhook-status-delivered-to-bsuid": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "102290129340398",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "contacts": [
                      {
                        "profile": {
                          "name": "Pablo M.",
                          "username": "@pablomorales",
                          "country_code": "US"
                        },
                        "wa_id": "",
                        "user_id": "user.9373795779eb6441c8adb2eaee5b848e7dd174ddd302d7db62142f4722d574b6"
                      }
                    ],
                    "statuses": [
                      {
                        "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
                        "status": "delivered",
                        "timestamp": "1750030073",
                        "recipient_id": "",
                        "recipient_user_id": "user.9373795779eb6441c8adb2eaee5b848e7dd174ddd302d7db62142f4722d574b6",
                        "pricing": {
                          "billable": true,
                          "pricing_model": "PMP",
                          "type": "regular",
                          "category": "marketing"
                        }
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#,
        "webhook-status-failed": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "102290129340398",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "statuses": [
                      {
                        "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA",
                        "status": "failed",
                        "timestamp": "1751142888",
                        "recipient_id": "16505551234",
                        "errors": [
                          {
                            "code": 131049,
                            "title": "This message was not delivered to maintain healthy ecosystem engagement.",
                            "message": "This message was not delivered to maintain healthy ecosystem engagement.",
                            "error_data": {
                              "details": "In order to maintain a healthy ecosystem engagement, the message failed to be delivered."
                            },
                            "href": "/documentation/business-messaging/whatsapp/support/error-codes"
                          }
                        ]
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#,
        "webhook-status-sent-v24-minimal": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "102290129340398",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "statuses": [
                      {
                        "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
                        "status": "sent",
                        "timestamp": "1750030073",
                        "recipient_id": "16505551234"
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#,
        "webhook-messages-text": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "419561257915477",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "contacts": [
                      {
                        "profile": {
                          "name": "Sheena Nelson"
                        },
                        "wa_id": "16505551234"
                      }
                    ],
                    "messages": [
                      {
                        "from": "16505551234",
                        "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                        "timestamp": "1749416383",
                        "type": "text",
                        "text": {
                          "body": "Does it come in another color?"
                        }
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#,
        "webhook-messages-text-username-empty-wa-id": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "102290129340398",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "contacts": [
                      {
                        "profile": {
                          "name": "Sheena Nelson",
                          "username": "@realsheenanelson",
                          "country_code": "US"
                        },
                        "wa_id": "",
                        "user_id": "user.93737..."
                      }
                    ],
                    "messages": [
                      {
                        "from": "",
                        "from_user_id": "user.93737...",
                        "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                        "timestamp": "1749416383",
                        "type": "text",
                        "text": {
                          "body": "Does it come in another color?"
                        }
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#,
        "webhook-messages-button-quick-reply": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "419561257915477",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "contacts": [
                      {
                        "profile": {
                          "name": "Sheena Nelson"
                        },
                        "wa_id": "16505551234"
                      }
                    ],
                    "messages": [
                      {
                        "context": {
                          "from": "15550783881",
                          "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJFNjk2OTMwNEZCQjhGMzUyQUYA"
                        },
                        "from": "16505551234",
                        "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUU0M0MxQzQzMUJCMTMwNUZFOQA=",
                        "timestamp": "1750091045",
                        "type": "button",
                        "button": {
                          "payload": "Unsubscribe",
                          "text": "Unsubscribe"
                        }
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#,
        "webhook-messages-interactive-button-reply": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "419561257915477",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "contacts": [
                      {
                        "profile": {
                          "name": "Sheena Nelson"
                        },
                        "wa_id": "16505551234"
                      }
                    ],
                    "messages": [
                      {
                        "context": {
                          "from": "15550783881",
                          "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MEM2RUJFNkI0RENGQTVDRjUA"
                        },
                        "from": "16505551234",
                        "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTZBQzg0MzQ4QjRCM0NGNkVGOAA=",
                        "timestamp": "1750025136",
                        "type": "interactive",
                        "interactive": {
                          "type": "button_reply",
                          "button_reply": {
                            "id": "cancel-button",
                            "title": "Cancel"
                          }
                        }
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#,
        "webhook-messages-interactive-list-reply": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "419561257915477",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "contacts": [
                      {
                        "profile": {
                          "name": "Sheena Nelson"
                        },
                        "wa_id": "16505551234"
                      }
                    ],
                    "messages": [
                      {
                        "context": {
                          "from": "15550783881",
                          "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJGMzEyNzhENTZDMzNGODlDRDgA"
                        },
                        "from": "16505551234",
                        "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUJDQ0NDM0FEODY4ODkzOTc5RgA=",
                        "timestamp": "1749854575",
                        "type": "interactive",
                        "interactive": {
                          "type": "list_reply",
                          "list_reply": {
                            "id": "priority_express",
                            "title": "Priority Mail Express",
                            "description": "Next Day to 2 Days"
                          }
                        }
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#,
        "webhook-messages-unsupported": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "419561257915477",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "contacts": [
                      {
                        "profile": {
                          "name": "Sheena Nelson"
                        },
                        "wa_id": "16505551234"
                      }
                    ],
                    "messages": [
                      {
                        "from": "16505551234",
                        "id": "wamid.HBgLMTQyMDU1NTA3NDkVAgASGBI5N0MwRjg0RTVBNUI1RDA2OTkA",
                        "timestamp": "1750090702",
                        "errors": [
                          {
                            "code": 131051,
                            "title": "Message type unknown",
                            "message": "Message type unknown",
                            "error_data": {
                              "details": "Message type is currently not supported."
                            }
                          }
                        ],
                        "type": "unsupported"
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#,
        "webhook-messages-system-user-changed-number": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "102290129340398",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "messages": [
                      {
                        "from": "16505551234",
                        "id": "wamid.HBgLMTk4MzU1NTE5NzQVAgASGAoxMTgyMDg2MjY3AA==",
                        "timestamp": "1750269342",
                        "system": {
                          "body": "User Sheena Nelson changed from 16505551234 to 12195555358",
                          "wa_id": "12195555358",
                          "type": "user_changed_number"
                        },
                        "type": "system"
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#,
        "webhook-messages-image": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "419561257915477",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "contacts": [
                      {
                        "profile": {
                          "name": "Sheena Nelson"
                        },
                        "wa_id": "16505551234"
                      }
                    ],
                    "messages": [
                      {
                        "from": "16505551234",
                        "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                        "timestamp": "1744344496",
                        "type": "image",
                        "image": {
                          "caption": "Taj Mahal",
                          "mime_type": "image/jpeg",
                          "sha256": "SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=",
                          "id": "1003383421387256"
                        }
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#,
        "webhook-messages-reaction": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "419561257915477",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "contacts": [
                      {
                        "profile": {
                          "name": "Sheena Nelson"
                        },
                        "wa_id": "16505551234"
                      }
                    ],
                    "messages": [
                      {
                        "from": "16505551234",
                        "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                        "timestamp": "1749419544",
                        "type": "reaction",
                        "reaction": {
                          "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0RTJEOTc2ODVERUY5RDlGNkYA",
                          "emoji": "👍"
                        }
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#,
        "webhook-template-status-approved": #"""
        {
          "entry": [
            {
              "id": "102290129340398",
              "time": 1751247548,
              "changes": [
                {
                  "value": {
                    "event": "APPROVED",
                    "message_template_id": 1689556908129832,
                    "message_template_name": "order_confirmation",
                    "message_template_language": "en-US",
                    "reason": "NONE",
                    "message_template_category": "UTILITY"
                  },
                  "field": "message_template_status_update"
                }
              ]
            }
          ],
          "object": "whatsapp_business_account"
        }
        """#,
        "webhook-template-status-rejected": #"""
        {
          "entry": [
            {
              "id": "102290129340398",
              "time": 1751247548,
              "changes": [
                {
                  "value": {
                    "event": "REJECTED",
                    "message_template_id": 1689556908129835,
                    "message_template_name": "abandoned_cart",
                    "message_template_language": "en",
                    "reason": "INVALID_FORMAT",
                    "message_template_category": "MARKETING",
                    "rejection_info": {
                      "reason": "Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them.",
                      "recommendation": "Separate parameters with descriptive text and ensure each parameter is clearly contextualized."
                    }
                  },
                  "field": "message_template_status_update"
                }
              ]
            }
          ],
          "object": "whatsapp_business_account"
        }
        """#,
        "webhook-template-quality-yellow": #"""
        {
          "entry": [
            {
              "id": "102290129340398",
              "time": 1674864290,
              "changes": [
                {
                  "value": {
                    "previous_quality_score": "GREEN",
                    "new_quality_score": "YELLOW",
                    "message_template_id": 806312974732579,
                    "message_template_name": "welcome_template",
                    "message_template_language": "en-US"
                  },
                  "field": "message_template_status_update"
                }
              ]
            }
          ],
          "object": "whatsapp_business_account"
        }
        """#,
        "webhook-template-category-completed": #"""
        {
          "entry": [
            {
              "id": "102290129340398",
              "time": 1746169200,
              "changes": [
                {
                  "field": "template_category_update",
                  "value": {
                    "message_template_id": 278077987957091,
                    "message_template_name": "welcome_template",
                    "message_template_language": "en-US",
                    "previous_category": "UTILITY",
                    "new_category": "MARKETING"
                  }
                }
              ]
            }
          ],
          "object": "whatsapp_business_account"
        }
        """#,
        "webhook-template-category-impending": #"""
        {
          "entry": [
            {
              "id": "102290129340398",
              "time": 1746082800,
              "changes": [
                {
                  "field": "template_category_update",
                  "value": {
                    "message_template_id": 278077987957091,
                    "message_template_name": "welcome_template",
                    "message_template_language": "en-US",
                    "new_category": "UTILITY",
                    "correct_category": "MARKETING",
                    "category_update_timestamp": 1746169200
                  }
                }
              ]
            }
          ],
          "object": "whatsapp_business_account"
        }
        """#,
        "webhook-template-components-update": #"""
        {
          "entry": [
            {
              "id": "102290129340398",
              "time": 1751250234,
              "changes": [
                {
                  "value": {
                    "message_template_id": 1315502779341834,
                    "message_template_name": "order_confirmation",
                    "message_template_language": "en_US",
                    "message_template_title": "Your order is confirmed!",
                    "message_template_element": "Thank you for your order, {{1}}! Your order number is {{2}}. If you have any questions, contact support using the buttons below. Thanks again!",
                    "message_template_footer": "Lucky Shrub: the Succulent Specialists!",
                    "message_template_buttons": [
                      {
                        "message_template_button_type": "PHONE_NUMBER",
                        "message_template_button_text": "Phone support",
                        "message_template_button_phone_number": "+15550783881"
                      },
                      {
                        "message_template_button_type": "URL",
                        "message_template_button_text": "Email support",
                        "message_template_button_url": "https://www.luckyshrub.com/support"
                      }
                    ]
                  },
                  "field": "message_template_components_update"
                }
              ]
            }
          ],
          "object": "whatsapp_business_account"
        }
        """#,
        "webhook-errors-rate-limit": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "102290129340398",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "errors": [
                      {
                        "code": 130429,
                        "title": "Rate limit hit",
                        "message": "Rate limit hit",
                        "error_data": {
                          "details": "Message failed to send because there were too many messages sent from this phone number in a short period of time"
                        },
                        "href": "/documentation/business-messaging/whatsapp/support/error-codes"
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#,
        "webhook-group-lifecycle-create": #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "102290129340398",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "groups": [
                      {
                        "timestamp": "1750269342",
                        "group_id": "Y2FwaV9ncm91cDoxODA1NTU1MDE3MjoxMjAzNjMyMjI3NzE5NjMwNjcZD",
                        "type": "group_create",
                        "request_id": "784D93D0C468593037EA0B1ECA245D9C",
                        "subject": "your-group-subject",
                        "description": "your-group-description",
                        "added_participants": [
                          {
                            "input": 16505551234,
                            "wa_id": 16505551234
                          },
                          {
                            "input": 16505551235,
                            "wa_id": 16505551235
                          }
                        ]
                      }
                    ]
                  },
                  "field": "group_lifecycle_update"
                }
              ]
            }
          ]
        }
        """#,
    ]
}
