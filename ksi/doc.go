// Package ksi handles KSI activity codes: Socialstyrelsen's Klassifikation
// av socialtjänstens insatser och aktiviteter, in which a decision can
// describe what a customer is granted.
//
// A code has three axes, written with spaces: the target (inriktning,
// three letters), the action type (agerandetyp, two letters) and the
// means (metod, two letters). "SME PH ZZ" is färdighetsträning (PH) in
// dressing oneself (SME), means unspecified (ZZ):
//
//	code, _ := ksi.Parse("sme ph zz")   // tolerant of case and spacing
//	code.ActionType()                   // "PH"
//	ksi.LookupActionType("PH")          // färdighetsträning, skills training
//
// # Catalogues
//
// Socialstyrelsen publishes the catalogue as a spreadsheet. Export it to
// CSV (comma or semicolon separated; lines beginning with # are comments)
// and load it with LoadCatalog or LoadCatalogFS. The header row names the
// columns; names are compared ignoring case, spaces, hyphens and
// underscores:
//
//	code         kod, code, KSI-kod, aktivitetskod, KSI aktivitetskod, kod aktivitet
//	title        titel, title, benämning, namn, term, aktivitet, aktivitetstitel
//	description  beskrivning, description, definition (optional)
//	source       källa, source (optional)
//
// Other columns are ignored. DefaultCatalog is embedded in the library and
// deliberately small: it holds only codes the project can vouch for, each
// with its source.
//
// Local task codes (Städ, Dusch...) and the service categories they are
// paid as belong to the records they classify: see models.TaskMap.
package ksi
