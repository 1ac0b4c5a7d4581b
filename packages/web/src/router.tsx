import { createBrowserRouter, Outlet, type RouteObject } from 'react-router';
import { RequireAuth } from './features/accounts/RequireAuth';
import { HomeRedirect } from './routes/HomeRedirect';
import { RouteErrorPage } from './routes/RouteErrorPage';

/**
 * Every page is its own chunk, loaded when first visited. The signed-in shell is a chunk too:
 * it loads while the viewer query is in flight, and signed-out pages never need it.
 */
const routes: RouteObject[] = [
  {
    errorElement: <RouteErrorPage />,
    // Shown while the first lazy route of a page load is fetched.
    hydrateFallbackElement: <></>,
    children: [
      {
        path: 'signin',
        lazy: () => import('./routes/SignInPage').then((m) => ({ Component: m.SignInPage })),
      },
      {
        path: 'signup',
        lazy: () => import('./routes/SignUpPage').then((m) => ({ Component: m.SignUpPage })),
      },
      {
        path: 'check-email',
        lazy: () =>
          import('./routes/CheckEmailPage').then((m) => ({ Component: m.CheckEmailPage })),
      },
      {
        path: 'verify-email',
        lazy: () =>
          import('./routes/VerifyEmailPage').then((m) => ({ Component: m.VerifyEmailPage })),
      },
      {
        path: 'forgot-password',
        lazy: () =>
          import('./routes/ForgotPasswordPage').then((m) => ({ Component: m.ForgotPasswordPage })),
      },
      {
        path: 'reset-password',
        lazy: () =>
          import('./routes/ResetPasswordPage').then((m) => ({ Component: m.ResetPasswordPage })),
      },
      {
        path: 'oauth/consent/:uid',
        lazy: () =>
          import('./routes/OAuthConsentPage').then((m) => ({ Component: m.OAuthConsentPage })),
      },
      {
        path: 'invitations/:token',
        lazy: () =>
          import('./routes/InvitationPage').then((m) => ({ Component: m.InvitationPage })),
      },
      {
        // Documentation: public products' docs are readable signed out.
        path: 'docs',
        lazy: () =>
          import('./features/catalogue/DocsShell').then((m) => ({ Component: m.DocsShell })),
        children: [
          {
            index: true,
            lazy: () =>
              import('./routes/DocsHomePage').then((m) => ({ Component: m.DocsHomePage })),
          },
          {
            path: ':productSlug',
            lazy: () =>
              import('./routes/ProductDocsPage').then((m) => ({ Component: m.ProductDocsPage })),
          },
          {
            path: ':productSlug/reference',
            lazy: () =>
              import('./routes/ApiReferencePage').then((m) => ({
                Component: m.ApiReferencePage,
              })),
          },
          {
            path: ':productSlug/endpoints/:endpointId',
            lazy: () =>
              import('./routes/EndpointPage').then((m) => ({ Component: m.EndpointPage })),
          },
          {
            path: ':productSlug/guides/:guideSlug',
            lazy: () => import('./routes/GuidePage').then((m) => ({ Component: m.GuidePage })),
          },
        ],
      },
      {
        element: (
          <RequireAuth>
            <Outlet />
          </RequireAuth>
        ),
        children: [
          {
            lazy: () =>
              import('./features/shell/AppLayout').then((m) => ({ Component: m.AppLayout })),
            children: [
              { index: true, element: <HomeRedirect /> },
              {
                path: 'orgs/new',
                lazy: () =>
                  import('./routes/NewOrganizationPage').then((m) => ({
                    Component: m.NewOrganizationPage,
                  })),
              },
              {
                path: 'orgs/:orgId',
                lazy: () =>
                  import('./routes/DashboardPage').then((m) => ({ Component: m.DashboardPage })),
              },
              {
                path: 'orgs/:orgId/projects/:projectId',
                lazy: () =>
                  import('./routes/ProjectPage').then((m) => ({ Component: m.ProjectPage })),
              },
              {
                path: 'orgs/:orgId/apps/new',
                lazy: () =>
                  import('./routes/NewAppPage').then((m) => ({ Component: m.NewAppPage })),
              },
              {
                path: 'orgs/:orgId/apps/:appId',
                lazy: () => import('./routes/AppPage').then((m) => ({ Component: m.AppPage })),
              },
              {
                path: 'orgs/:orgId/usage',
                lazy: () => import('./routes/UsagePage').then((m) => ({ Component: m.UsagePage })),
              },
              {
                path: 'orgs/:orgId/team',
                lazy: () => import('./routes/TeamPage').then((m) => ({ Component: m.TeamPage })),
              },
              {
                path: 'orgs/:orgId/webhooks',
                lazy: () =>
                  import('./routes/WebhooksPage').then((m) => ({ Component: m.WebhooksPage })),
              },
              {
                path: 'orgs/:orgId/settings',
                lazy: () =>
                  import('./routes/OrganizationSettingsPage').then((m) => ({
                    Component: m.OrganizationSettingsPage,
                  })),
              },
              {
                path: 'account',
                lazy: () =>
                  import('./routes/AccountPage').then((m) => ({ Component: m.AccountPage })),
              },
              {
                path: 'developer-application',
                lazy: () =>
                  import('./routes/DeveloperApplicationPage').then((m) => ({
                    Component: m.DeveloperApplicationPage,
                  })),
              },
              {
                path: 'orgs/:orgId/products',
                lazy: () =>
                  import('./routes/ProductsPage').then((m) => ({ Component: m.ProductsPage })),
              },
              {
                path: 'orgs/:orgId/plans',
                lazy: () => import('./routes/PlansPage').then((m) => ({ Component: m.PlansPage })),
              },
              {
                path: 'orgs/:orgId/environments',
                lazy: () =>
                  import('./routes/EnvironmentsPage').then((m) => ({
                    Component: m.EnvironmentsPage,
                  })),
              },
              {
                path: 'staff/review',
                lazy: () =>
                  import('./routes/StaffReviewPage').then((m) => ({
                    Component: m.StaffReviewPage,
                  })),
              },
              {
                path: 'staff/review/:itemId',
                lazy: () =>
                  import('./routes/StaffReviewPage').then((m) => ({
                    Component: m.StaffReviewPage,
                  })),
              },
              {
                path: 'staff/applications/:applicationId',
                lazy: () =>
                  import('./routes/StaffApplicationPage').then((m) => ({
                    Component: m.StaffApplicationPage,
                  })),
              },
              {
                path: 'staff/products',
                lazy: () =>
                  import('./routes/StaffProductsPage').then((m) => ({
                    Component: m.StaffProductsPage,
                  })),
              },
              {
                path: 'staff/plans',
                lazy: () =>
                  import('./routes/StaffPlansPage').then((m) => ({ Component: m.StaffPlansPage })),
              },
              {
                path: 'staff/gateways',
                lazy: () =>
                  import('./routes/StaffGatewaysPage').then((m) => ({
                    Component: m.StaffGatewaysPage,
                  })),
              },
              {
                path: 'staff/usage',
                lazy: () =>
                  import('./routes/StaffUsagePage').then((m) => ({
                    Component: m.StaffUsagePage,
                  })),
              },
              {
                path: 'staff/apps',
                lazy: () =>
                  import('./routes/StaffAppsPage').then((m) => ({ Component: m.StaffAppsPage })),
              },
              {
                path: 'staff/apps/:orgId/:appId',
                lazy: () =>
                  import('./routes/StaffAppPage').then((m) => ({ Component: m.StaffAppPage })),
              },
              {
                path: 'staff/organizations',
                lazy: () =>
                  import('./routes/StaffOrganizationsPage').then((m) => ({
                    Component: m.StaffOrganizationsPage,
                  })),
              },
              {
                path: 'staff/organizations/:orgId',
                lazy: () =>
                  import('./routes/StaffOrganizationPage').then((m) => ({
                    Component: m.StaffOrganizationPage,
                  })),
              },
              {
                path: 'staff/reports',
                lazy: () =>
                  import('./routes/StaffReportsPage').then((m) => ({
                    Component: m.StaffReportsPage,
                  })),
              },
              {
                path: 'staff/audit',
                lazy: () =>
                  import('./routes/StaffAuditPage').then((m) => ({ Component: m.StaffAuditPage })),
              },
              {
                path: 'staff/bulk-runs',
                lazy: () =>
                  import('./routes/StaffBulkRunsPage').then((m) => ({
                    Component: m.StaffBulkRunsPage,
                  })),
              },
              {
                path: 'staff/bulk-runs/:runId',
                lazy: () =>
                  import('./routes/StaffBulkRunPage').then((m) => ({
                    Component: m.StaffBulkRunPage,
                  })),
              },
              {
                path: 'labs',
                lazy: () => import('./routes/LabsPage').then((m) => ({ Component: m.LabsPage })),
              },
              {
                path: 'staff/docs',
                lazy: () =>
                  import('./routes/StaffDocsPage').then((m) => ({ Component: m.StaffDocsPage })),
              },
              {
                path: 'staff/docs/:productId',
                lazy: () =>
                  import('./routes/StaffProductDocsPage').then((m) => ({
                    Component: m.StaffProductDocsPage,
                  })),
              },
              {
                path: 'staff/deprecations',
                lazy: () =>
                  import('./routes/StaffDeprecationsPage').then((m) => ({
                    Component: m.StaffDeprecationsPage,
                  })),
              },
              {
                path: 'staff/labs-feedback',
                lazy: () =>
                  import('./routes/StaffLabsFeedbackPage').then((m) => ({
                    Component: m.StaffLabsFeedbackPage,
                  })),
              },
              {
                path: 'staff/outbox',
                lazy: () =>
                  import('./routes/StaffOutboxPage').then((m) => ({
                    Component: m.StaffOutboxPage,
                  })),
              },
              {
                path: '*',
                lazy: () =>
                  import('./routes/NotFoundPage').then((m) => ({ Component: m.NotFoundPage })),
              },
            ],
          },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);
