import Testing

@Test func bizoneconfigPlaceholder() {
    #expect(Bool(true))
}
