import Testing

@Test func bizoneplannerPlaceholder() {
    #expect(Bool(true))
}
