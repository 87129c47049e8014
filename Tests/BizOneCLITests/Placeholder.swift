import Testing

@Test func bizonecliPlaceholder() {
    #expect(Bool(true))
}
