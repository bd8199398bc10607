using Escala.Core.Access;

namespace Escala.Core.Tests.Access;

public sealed class PrincipalTests
{
    private static readonly Principal OrganisationWide = new("k1", "ops", Role.Operator, []);
    private static readonly Principal RiskOnly = new("k2", "alice", Role.Scientist, ["risk"]);
    private static readonly Principal TwoDepartments = new("k3", "sam", Role.Viewer, ["hr", "risk"]);

    [Fact]
    public void MayActFor_OrganisationWideKey_ActsOnEverything()
    {
        Assert.True(OrganisationWide.MayActFor("risk"));
        Assert.True(OrganisationWide.MayActFor(null));
    }

    [Fact]
    public void MayActFor_DepartmentKey_OnlyItsDepartments_NeverOrganisationWideResources()
    {
        Assert.True(RiskOnly.MayActFor("risk"));
        Assert.False(RiskOnly.MayActFor("hr"));
        Assert.False(RiskOnly.MayActFor(null));
    }

    [Fact]
    public void TrySelectDepartment_NoHeader_UsesTheKeysOnlyDepartment()
    {
        Assert.True(RiskOnly.TrySelectDepartment(null, out var department));
        Assert.Equal("risk", department);
        Assert.True(TwoDepartments.TrySelectDepartment(null, out var none));
        Assert.Null(none);
    }

    [Fact]
    public void TrySelectDepartment_HeaderOutsideScope_IsRefused()
    {
        Assert.False(RiskOnly.TrySelectDepartment("hr", out _));
        Assert.True(TwoDepartments.TrySelectDepartment("hr", out var hr));
        Assert.Equal("hr", hr);
        Assert.True(OrganisationWide.TrySelectDepartment("anything", out var any));
        Assert.Equal("anything", any);
    }

    [Fact]
    public void HasRole_FollowsTheOrder_ViewerScientistApproverOperatorAdmin()
    {
        var roles = RoleNames.All;
        for (var held = 0; held < roles.Count; held++)
        {
            for (var needed = 0; needed < roles.Count; needed++)
            {
                var principal = new Principal("k", "n", roles[held], []);
                Assert.Equal(held >= needed, principal.HasRole(roles[needed]));
            }
        }
    }

    [Theory]
    [InlineData("viewer", Role.Viewer)]
    [InlineData("Approver", Role.Approver)]
    [InlineData(" admin ", Role.Admin)]
    public void RoleNames_Parse_IsCaseInsensitive(string text, Role expected) => Assert.Equal(expected, RoleNames.Parse(text));

    [Fact]
    public void RoleNames_ParseUnknown_ListsTheRoles() =>
        Assert.Contains("viewer, scientist, approver, operator, admin",
            Assert.Throws<Problems.ProblemException>(() => RoleNames.Parse("root")).Detail, StringComparison.Ordinal);
}
