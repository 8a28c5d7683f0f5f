package entra

// Fields names groups of SignIn fields. A reader that knows which groups
// its consumer reads can leave the others undecoded: hunting decodes only
// what the enabled rules use, and each rule says which groups it reads.
type Fields uint32

// The groups. FieldBase is always decoded: without it a record has no time,
// identity, address or outcome and cannot be told apart from another.
const (
	// FieldBase: ID, OriginalRequestID, Time, TimeApprox, UserID,
	// UserPrincipalName, IP, IPRaw, ErrorCode and HasCode.
	FieldBase Fields = 1 << iota
	// FieldCountry: Location.Country.
	FieldCountry
	// FieldCoords: Location.City, Lat, Lon and HasCoords.
	FieldCoords
	// FieldASN: ASN, which names hosting providers (an anonymizer signal).
	FieldASN
	// FieldApp: AppID, AppDisplayName, ResourceDisplayName and
	// ClientAppUsed.
	FieldApp
	// FieldAgent: UserAgent.
	FieldAgent
	// FieldDevice: Device.ID, IsCompliant and IsManaged.
	FieldDevice
	// FieldNetwork: NetworkNames and TrustedNetwork.
	FieldNetwork
	// FieldAuth: AuthSteps (Succeeded and ResultDetail), AdditionalDetails,
	// AuthProtocol and AuthProtocolRaw.
	FieldAuth
	// FieldKind: who signed in, a user or a service: IsInteractive,
	// EventTypes, Source and ServicePrincipalID.
	FieldKind
	// FieldRisk: RiskLevelDuringSignIn, RiskLevelAggregated and RiskState.
	FieldRisk
	// FieldRiskTypes: RiskEventTypes.
	FieldRiskTypes

	// FieldsLean is every group: the fields hunting can read at all.
	FieldsLean = FieldRiskTypes<<1 - 1
)

// Has reports whether f holds every group of g.
func (f Fields) Has(g Fields) bool { return f&g == g }
